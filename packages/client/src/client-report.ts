import { countsText, formatFixed, formatInt, formatMs, latencyBlock, type ReportLine } from '@mdbench/core';
import type { RunStats } from './run-stats.js';
import type { ClientDelta } from './worker-protocol.js';

export type Gauges = ClientDelta['gauges'];

export function sumGauges(list: Iterable<Gauges>): Gauges {
  const g: Gauges = { open: 0, subscribed: 0, connecting: 0, reconnecting: 0, planned: 0, failed: 0, firstConnectMs: 0, lastOpenMs: 0, lastSubscribedMs: 0 };
  for (const x of list) {
    if (x.firstConnectMs > 0 && (g.firstConnectMs === 0 || x.firstConnectMs < g.firstConnectMs)) g.firstConnectMs = x.firstConnectMs;
    g.lastSubscribedMs = Math.max(g.lastSubscribedMs, x.lastSubscribedMs);
    g.lastOpenMs = Math.max(g.lastOpenMs, x.lastOpenMs);
    g.open += x.open;
    g.subscribed += x.subscribed;
    g.connecting += x.connecting;
    g.reconnecting += x.reconnecting;
    g.planned += x.planned;
    g.failed += x.failed;
  }
  return g;
}

export interface ClientReportInput {
  stats: RunStats;
  uptimeS: number;
  frequencyPerSec: number;
  gauges: Gauges;
  otherStamp: 'scheduled' | 'sent';
}

/** The article's block followed by the second stamp's latency, integrity, connections and errors. */
export function clientBlock(r: ClientReportInput): ReportLine[] {
  const s = r.stats;
  const o = s.latencyOther;
  const lines = latencyBlock(s.latency, r.uptimeS, s.count('messages'), r.frequencyPerSec);
  lines.push(
    [
      `Latency from ${r.otherStamp} time`,
      o.welford.count > 0 ? `mean ${formatMs(o.welford.mean)}, p99 ${formatMs(o.percentileUs(99))}, max ${formatMs(o.welford.max)}` : 'n/a',
    ],
    ['Integrity', `${formatInt(s.count('gaps'))} lost (gaps), ${formatInt(s.count('duplicates'))} duplicates, ${formatInt(s.count('outOfOrder'))} out of order`],
    [
      'Connections',
      `${formatInt(r.gauges.open)} open, ${formatInt(r.gauges.subscribed)} subscribed, ${formatInt(r.gauges.connecting)} connecting, ` +
        `${formatInt(r.gauges.reconnecting)} waiting to reconnect, ${formatInt(r.gauges.failed)} failed, ${formatInt(r.gauges.planned)} planned`,
    ],
    [
      'Reconnections',
      `${formatInt(s.count('disconnects'))} disconnects, ${formatInt(s.count('reconnects'))} reconnects, ${formatFixed(s.count('downMs') / 1000, 1)} s disconnected in all`,
    ],
    ['Connection errors', countsText(s.errors)],
    ['Frame errors', `${formatInt(s.count('malformed'))} malformed, ${formatInt(s.count('unexpectedSubject'))} for unsubscribed subjects`],
    ['Event-loop delay', `p99 ${formatFixed(s.loopP99Ms, 2)} ms, max ${formatFixed(s.loopMaxMs, 2)} ms`],
  );
  return lines;
}

/** Event-loop delay beyond which the client's own latency figures are suspect. */
export const SATURATION_P99_MS = 20;
