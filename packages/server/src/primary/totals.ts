import { GAUGE_FIELDS, type WorkerStats } from '../worker-config.js';

type Gauge = 'connections' | 'subscriptions' | 'subjects' | 'queued' | 'rssBytes' | 'heapUsedBytes';

/** Totals over all workers: counters summed over time, gauges as each worker last reported them. */
export class ServerTotals {
  readonly total: Record<string, number> = {};
  private interval: Record<string, number> = {};
  private readonly gauges = new Map<number, WorkerStats>();

  add(workerId: number, s: WorkerStats): void {
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
      perWorker: [...this.gauges].sort((a, b) => a[0] - b[0]).map(([id, g]) => ({ id, connections: g.connections, subscriptions: g.subscriptions, rssBytes: g.rssBytes, heapUsedBytes: g.heapUsedBytes })),
      totals: { ...this.total },
    };
  }
}
