import { TIMED } from '../stats/phases.js';
import type { ClientGauges, ClientStats } from '../stats/client-stats.js';
import type { ThresholdMetric } from './threshold.js';

/** Latency percentiles by their threshold names. */
const PERCENTILES: Record<string, number> = { p50: 50, p90: 90, p99: 99, p999: 99.9 };

/**
 * What a subscriber fleet's thresholds can judge (the client on its own run, mdbench-report on the
 * fleet's merged records): latency, loss, errors, connections subscribed, the connect phases
 * (`connect.p99`, `tls.p99`, `session.max`...), the requests' round trips (`rtt.p99`) and
 * timeouts, and the client's own saturation.
 */
export const CLIENT_THRESHOLD_METRICS: Record<string, ThresholdMetric> = {
  p50: { unit: 'ms', about: 'latency p50' },
  p90: { unit: 'ms', about: 'latency p90' },
  p99: { unit: 'ms', about: 'latency p99' },
  p999: { unit: 'ms', about: 'latency p99.9' },
  mean: { unit: 'ms', about: 'latency mean' },
  max: { unit: 'ms', about: 'latency max' },
  loss: { unit: 'count', about: 'messages lost (sequence gaps)' },
  errors: { unit: 'count', about: 'connection errors and refusals' },
  subscribed: { unit: '%', about: 'connections subscribed at the end, % of those planned' },
  loop: { unit: 'ms', about: 'client event-loop delay p99 (self-saturation)' },
  timeouts: { unit: 'count', about: 'requests with no reply within --request-timeout' },
  ...Object.fromEntries(['p50', 'p90', 'p99', 'max', 'mean'].map((q) => [`rtt.${q}`, { unit: 'ms', about: `request round trip ${q}` } as ThresholdMetric])),
  ...Object.fromEntries(
    TIMED.flatMap((phase) =>
      ['p50', 'p90', 'p99', 'max'].map((q) => [
        `${phase}.${q}`,
        { unit: 'ms', about: `${phase === 'connect' ? 'whole connect attempt' : `connect phase ${phase}`} ${q}` } as ThresholdMetric,
      ]),
    ),
  ),
};

/** The figure of `metric` in a fleet's run (ms for times; NaN where nothing was measured). */
export function clientMetric(metric: string, run: ClientStats, gauges: ClientGauges, loopP99Ms: number): number {
  const ms = (us: number) => us / 1000;
  const [head, q] = metric.includes('.') ? metric.split('.') : [null, metric];
  const l = head === null ? run.latency : head === 'rtt' ? run.rtt : run.phases.byPhase[head as (typeof TIMED)[number]];
  if (head !== null || q in PERCENTILES || q === 'mean' || q === 'max') {
    if (l.welford.count === 0) return NaN;
    if (q === 'mean') return ms(l.welford.mean);
    if (q === 'max') return ms(l.welford.max);
    return ms(l.percentileUs(PERCENTILES[q]));
  }
  switch (metric) {
    case 'loss':
      return run.count('gaps');
    case 'errors':
      return run.errorCount;
    case 'subscribed':
      return gauges.planned > 0 ? (100 * gauges.subscribed) / gauges.planned : NaN;
    case 'loop':
      return loopP99Ms;
    case 'timeouts':
      return run.count('requestTimeouts');
    default:
      return NaN;
  }
}
