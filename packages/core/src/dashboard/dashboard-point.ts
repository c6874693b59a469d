import type { ClientGauges, ClientStats } from '../stats/client-stats.js';
import { verdictText, type Verdict } from '../thresholds/threshold.js';
import type { DashboardPoint } from './dashboard.js';

/** One interval of a subscriber fleet (one client, or mdbench-report's merged logs) as the live dashboard draws it; `atMs` its end. */
export function dashboardPoint(interval: ClientStats, seconds: number, gauges: ClientGauges, verdicts: Verdict[], atMs: number): DashboardPoint {
  const l = interval.latency;
  const has = l.welford.count > 0;
  return {
    t: atMs,
    p50: has ? l.percentileUs(50) / 1000 : null,
    p99: has ? l.percentileUs(99) / 1000 : null,
    max: has ? l.welford.max / 1000 : null,
    rate: interval.count('messages') / Math.max(seconds, 1e-9),
    open: gauges.open,
    subscribed: gauges.subscribed,
    planned: gauges.planned,
    errors: interval.errorCount,
    gaps: interval.count('gaps'),
    thresholds: verdicts.map((v) => ({ threshold: v.threshold, passed: v.passed, text: verdictText(v) })),
  };
}
