import { formatFixed, formatInt, type ReportLine } from '@mdbench/core';
import type { WorkerStats } from './worker-config.js';

const GAUGES = new Set(['connections', 'subscriptions', 'subjects', 'rssBytes', 'heapUsedBytes']);

/** Totals over all workers: counters summed over time, gauges as each worker last reported them. */
export class ServerTotals {
  readonly total: Record<string, number> = {};
  private interval: Record<string, number> = {};
  private readonly gauges = new Map<number, WorkerStats>();

  add(workerId: number, s: WorkerStats): void {
    this.gauges.set(workerId, s);
    for (const [k, v] of Object.entries(s)) {
      if (GAUGES.has(k)) continue;
      this.total[k] = (this.total[k] ?? 0) + v;
      this.interval[k] = (this.interval[k] ?? 0) + v;
    }
  }

  forget(workerId: number): void {
    this.gauges.delete(workerId);
  }

  gauge(name: 'connections' | 'subscriptions' | 'subjects'): number {
    let n = 0;
    for (const s of this.gauges.values()) n += s[name];
    return n;
  }

  /** Interval counters since the last call, and reset them. */
  takeInterval(): Record<string, number> {
    const out = this.interval;
    this.interval = {};
    return out;
  }

  /** A JSON view for the monitor endpoint and the JSON-lines log. */
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

/** The server's report block. */
export function serverBlock(t: ServerTotals, uptimeS: number, interval: Record<string, number>, seconds: number): ReportLine[] {
  const rate = (k: string) => `${formatFixed((interval[k] ?? 0) / Math.max(seconds, 1e-9), 2)} messages/sec`;
  const n = (k: string) => formatInt(t.total[k] ?? 0);
  return [
    ['Uptime', `${formatInt(uptimeS)} s`],
    ['Connections', formatInt(t.gauge('connections'))],
    ['Subscriptions', `${formatInt(t.gauge('subscriptions'))} on ${formatInt(t.gauge('subjects'))} subjects`],
    ['Messages in', rate('messagesIn')],
    ['Messages out', rate('messagesOut')],
    ['Total messages in', n('messagesIn')],
    ['Total messages out', n('messagesOut')],
    ['Slow consumers', `${n('slowDrops')} messages dropped, ${n('slowDisconnects')} disconnected`],
    ['Rejected', `${n('malformed')} malformed, ${n('oversized')} oversized, ${n('rejected')} unauthorised`],
  ];
}
