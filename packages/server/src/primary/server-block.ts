import { bandwidthText, formatFixed, formatInt, type BandwidthRates, type ReportLine } from '@mdbench/core/internal';
import type { ServerTotals } from './totals.js';

/** The server's report block; `seconds` is what the rates divide by (`rateNote` says which seconds). */
export function serverBlock(
  totals: ServerTotals,
  uptimeS: number,
  interval: Record<string, number>,
  seconds: number,
  bandwidth?: BandwidthRates,
  rateNote?: string,
): ReportLine[] {
  const rate = (k: string, what = 'messages') =>
    `${formatFixed(seconds > 0 ? (interval[k] ?? 0) / seconds : 0, 2)} ${what}/sec${rateNote ? ` (${rateNote})` : ''}`;
  const n = (k: string) => formatInt(totals.total[k] ?? 0);
  const lines: ReportLine[] = [
    ['Uptime', `${formatInt(uptimeS)} s`],
    ['Connections', formatInt(totals.gauge('connections'))],
    ['Subscriptions', `${formatInt(totals.gauge('subscriptions'))} on ${formatInt(totals.gauge('subjects'))} subjects`],
    ['Messages in', rate('messagesIn')],
    ['Messages out', rate('messagesOut')],
    ['Total messages in', n('messagesIn')],
    ['Total messages out', n('messagesOut')],
    ...((totals.total.requests ?? 0) > 0 ? [['Requests answered', `${rate('requests', 'requests')}, ${n('requests')} in all`] as [string, string]] : []),
    ['Slow consumers', `${n('slowDrops')} messages dropped, ${n('slowDisconnects')} disconnected`],
    ['Rejected', `${n('malformed')} malformed, ${n('oversized')} oversized, ${n('rejected')} unauthorised, ${n('badUpgrades')} bad upgrade requests`],
  ];
  if (bandwidth) lines.push(['Bandwidth', bandwidthText(bandwidth)]);
  return lines;
}
