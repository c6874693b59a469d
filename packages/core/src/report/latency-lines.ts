import { meanConfidence } from '../stats/confidence.js';
import { REPORT_PERCENTILES } from '../stats/histogram.js';
import type { LatencyStats } from '../stats/latency.js';
import { formatFixed, formatInt, formatMs } from './format.js';

export type ReportLine = readonly [string, string];

function ciText(stats: LatencyStats, level: 90 | 95): string {
  const ci = meanConfidence(stats.welford, level);
  return ci ? `[${formatFixed(ci.low / 1000, 3)} - ${formatFixed(ci.high / 1000, 3)}] ms` : 'n/a (fewer than 2 messages)';
}

/**
 * The article's statistics block: Uptime, Latency min/max/mean/standard deviation, the 90% and 95%
 * confidence intervals of the mean, Total messages and Frequency, then the percentiles. The note
 * after Frequency says over what time it was taken when that is not the interval.
 */
export function latencyBlock(stats: LatencyStats, uptimeS: number, totalMessages: number, messagesPerSec: number, messagesPerSecNote?: string): ReportLine[] {
  const w = stats.welford;
  const has = w.count > 0;
  const lines: ReportLine[] = [
    ['Uptime', `${formatInt(uptimeS)} s`],
    ['Latency min', has ? formatMs(w.min) : 'n/a'],
    ['Latency max', has ? formatMs(w.max) : 'n/a'],
    ['Latency mean', has ? formatMs(w.mean) : 'n/a'],
    ['Latency standard deviation', has ? formatMs(w.stdev) : 'n/a'],
    ['90% CI for the mean', ciText(stats, 90)],
    ['95% CI for the mean', ciText(stats, 95)],
    ['Total messages', formatInt(totalMessages)],
    ['Frequency', `${formatFixed(messagesPerSec, 2)} messages/sec${messagesPerSecNote ? ` (${messagesPerSecNote})` : ''}`],
  ];
  for (const p of REPORT_PERCENTILES) lines.push([`Latency p${p}`, has ? formatMs(stats.percentileUs(p)) : 'n/a']);
  return lines;
}

/** `ECONNREFUSED 3, handshake 1` or `none`. */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${formatInt(n)}`);
  return parts.length ? parts.join(', ') : 'none';
}
