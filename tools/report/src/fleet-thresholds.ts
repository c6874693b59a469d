import { CLIENT_THRESHOLD_METRICS, LatencyStats, clientMetric, judgeAll, type ThresholdMetric, type Threshold, type Verdict } from '@mdbench/core/internal';
import { isPublisher, type LogRecord } from './read-logs.js';
import type { FleetStats } from './merge.js';

/** The publishers' summaries merged: how many, messages sent, achieved and target rates, schedule lag. */
export function publisherTotals(records: LogRecord[]) {
  const pubs = records.filter(isPublisher).filter((r) => r.type === 'summary');
  const lag = new LatencyStats();
  for (const p of pubs) lag.mergeWire(p.lag);
  return {
    count: pubs.length,
    sent: pubs.reduce((a, p) => a + p.totalSent, 0),
    ratePerSec: pubs.reduce((a, p) => a + p.totalSent / p.seconds, 0),
    targetRatePerSec: pubs.reduce((a, p) => a + p.targetRatePerSec, 0),
    lag,
  };
}

/** What mdbench-report's thresholds judge: the subscriber fleet's metrics, and the publishers' rate and lag. */
export const REPORT_THRESHOLD_METRICS: Record<string, ThresholdMetric> = {
  ...CLIENT_THRESHOLD_METRICS,
  rate: { unit: '%', about: "publishers' achieved rate, % of their target" },
  lag: { unit: 'ms', about: "publishers' schedule lag p99" },
};

/** Every threshold judged on the fleet's merged records (publishers' metrics: NaN without publisher logs). */
export function judgeFleet(thresholds: readonly Threshold[], fleet: Pick<FleetStats, 'stats' | 'gauges'>, records: LogRecord[]): Verdict[] {
  const pub = publisherTotals(records);
  return judgeAll(thresholds, REPORT_THRESHOLD_METRICS, (m) => {
    if (m === 'rate') return pub.count && pub.targetRatePerSec > 0 ? (100 * pub.ratePerSec) / pub.targetRatePerSec : NaN;
    if (m === 'lag') return pub.count ? pub.lag.percentileUs(99) / 1000 : NaN;
    return clientMetric(m, fleet.stats, fleet.gauges, fleet.stats.loopP99Ms);
  });
}
