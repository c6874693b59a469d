import { GAUGE_FIELDS, STATS_MS, type WorkerStats } from '../worker-config.js';

type Gauge = 'connections' | 'subscriptions' | 'subjects' | 'queued' | 'rssBytes' | 'heapUsedBytes';

/** Totals over all workers: counters summed over time, gauges as each worker last reported them. */
export class ServerTotals {
  readonly total: Record<string, number> = {};
  private interval: Record<string, number> = {};
  private readonly gauges = new Map<number, WorkerStats>();

  /**
   * When (ms, the primary's monotonic clock) the first and the last report with messages in arrived.
   * Each report closes a period of STATS_MS, so both ends are late by the same amount on average:
   * their difference estimates the time messages flowed, to within a period.
   */
  private firstInMs = 0;
  private lastInMs = 0;

  /** A worker's report (sent every STATS_MS; its counters are deltas over that time), received at `nowMs`. */
  add(workerId: number, s: WorkerStats, nowMs = 0): void {
    if (s.messagesIn > 0) {
      if (this.firstInMs === 0) this.firstInMs = nowMs;
      this.lastInMs = nowMs;
    }
    this.gauges.set(workerId, s);
    for (const [k, v] of Object.entries(s)) {
      if (GAUGE_FIELDS.has(k as keyof WorkerStats)) continue;
      this.total[k] = (this.total[k] ?? 0) + v;
      this.interval[k] = (this.interval[k] ?? 0) + v;
    }
  }

  forget(workerId: number): void {
    this.gauges.delete(workerId);
  }

  gauge(name: Gauge): number {
    let n = 0;
    for (const s of this.gauges.values()) n += s[name];
    return n;
  }

  get workers(): number {
    return this.gauges.size;
  }

  /** Seconds from the first message in to the last (to within the workers' reporting period; at least one period), 0 before any. */
  get flowingS(): number {
    return this.firstInMs === 0 ? 0 : Math.max(this.lastInMs - this.firstInMs, STATS_MS) / 1000;
  }

  /** Interval counters since the last call, and reset them. */
  takeInterval(): Record<string, number> {
    const out = this.interval;
    this.interval = {};
    return out;
  }

  /** A JSON view for the monitor's /stats. */
  snapshot(): Record<string, unknown> {
    return {
      connections: this.gauge('connections'),
      subscriptions: this.gauge('subscriptions'),
      subjects: this.gauge('subjects'),
      workers: this.gauges.size,
      perWorker: [...this.gauges]
        .sort((a, b) => a[0] - b[0])
        .map(([id, g]) => ({ id, connections: g.connections, subscriptions: g.subscriptions, rssBytes: g.rssBytes, heapUsedBytes: g.heapUsedBytes })),
      totals: { ...this.total },
    };
  }
}
