import { PHASES, TIMED, failedCounter, type PhaseStats } from '../stats/phases.js';
import type { ClientGauges, ClientStats } from '../stats/client-stats.js';
import type { BandwidthRates } from '../system/bandwidth.js';
import { bandwidthText } from './bandwidth-line.js';
import { formatFixed, formatInt, formatMs } from './format.js';
import { countsText, latencyBlock, type ReportLine } from './latency-lines.js';

export interface ClientBlockInput {
  stats: ClientStats;
  uptimeS: number;
  /** Messages per second the Frequency line shows. */
  messagesPerSec: number;
  /** How the frequency was taken, shown after it (the summary's comes from the time messages flowed). */
  messagesPerSecNote?: string;
  gauges: ClientGauges;
  otherStamp: 'scheduled' | 'sent';
  /** Event-loop delay of the interval (the summary shows the worst of the run). */
  loop: { p99Ms: number; maxMs: number };
  bandwidth?: BandwidthRates;
}

/**
 * A subscriber fleet's block (one client, or a whole fleet merged by mdbench-report): the article's
 * lines, then the other stamp's latency, integrity, connections, errors and load.
 */
export function clientBlock(input: ClientBlockInput): ReportLine[] {
  const s = input.stats;
  const o = s.latencyOther;
  const g = input.gauges;
  const lines = latencyBlock(s.latency, input.uptimeS, s.count('messages'), input.messagesPerSec, input.messagesPerSecNote);
  lines.push(
    [
      `Latency from ${input.otherStamp} time`,
      o.welford.count > 0 ? `mean ${formatMs(o.welford.mean)}, p99 ${formatMs(o.percentileUs(99))}, max ${formatMs(o.welford.max)}` : 'n/a',
    ],
    [
      'Integrity',
      `${formatInt(s.count('gaps'))} lost (gaps), ${formatInt(s.count('duplicates'))} duplicates, ${formatInt(s.count('outOfOrder'))} out of order, ${formatInt(s.count('unstamped'))} unstamped` +
        (s.count('resumed') > 0
          ? `; ${formatInt(s.count('resumed'))} recovered by resume (sent while their stream was away, replayed from Last-Event-ID)`
          : ''),
    ],
    ...(s.count('lifetimeEnds') > 0
      ? [
          [
            'Churn',
            `${formatInt(s.count('lifetimeEnds'))} connections closed themselves at the end of their lifetime and connected again; ${formatInt(s.count('missedOffline'))} messages published while they were away (missed offline, not lost)`,
          ] as [string, string],
        ]
      : []),
    ...(s.count('published') + s.count('publishMissed') > 0 ? [['Published', publishedText(s)] as [string, string]] : []),
    ...(s.count('requests') + s.count('requestMissed') > 0 ? [['Round trip', roundTripText(s)] as [string, string]] : []),
    [
      'Connections',
      `${formatInt(g.open)} open, ${formatInt(g.connected)} connected, ${formatInt(g.subscribed)} subscribed, ${formatInt(g.connecting)} connecting, ` +
        `${formatInt(g.reconnecting)} waiting to reconnect, ${formatInt(g.failed)} failed, ${formatInt(g.planned)} planned`,
    ],
    [
      'Reconnections',
      `${formatInt(s.count('disconnects'))} disconnects, ${formatInt(s.count('reconnects'))} reconnects, ${formatFixed(s.count('downMs') / 1000, 1)} s disconnected in all`,
    ],
    ['Connection errors', countsText(s.errors)],
    ...(s.phases.empty && !failedInPhases(s) ? [] : [['Connect phases', phasesText(s.phases) + failedInPhases(s)] as [string, string]]),
    ...(s.count('tlsFull') + s.count('tlsResumed') > 0
      ? [['TLS handshakes', `${formatInt(s.count('tlsFull'))} full, ${formatInt(s.count('tlsResumed'))} resumed`] as [string, string]]
      : []),
    ...(s.count('deflateMessageBytes') > 0
      ? [['Compression', compressionText(s.count('deflateWireBytes'), s.count('deflateMessageBytes'))] as [string, string]]
      : []),
    ['Frame errors', `${formatInt(s.count('malformed'))} malformed, ${formatInt(s.count('unexpectedSubject'))} for unsubscribed subjects`],
    ['Event-loop delay', `p99 ${formatFixed(input.loop.p99Ms, 2)} ms, max ${formatFixed(input.loop.maxMs, 2)} ms`],
  );
  if (input.bandwidth) lines.push(['Bandwidth', bandwidthText(input.bandwidth)]);
  return lines;
}

/** What the fleet's own connections published (--publish-rate), and what came back to its senders. */
function publishedText(s: ClientStats): string {
  return (
    `${formatInt(s.count('published'))} messages by the connections themselves, ${formatInt(s.count('publishMissed'))} due while down or backlogged (not sent), ` +
    `${formatInt(s.count('selfDelivered'))} delivered back to their sender (counted apart)`
  );
}

/** `mean 1.92 ms, p50 1.70 ms / p90 2.61 ms / p99 6.02 ms / max 14.1 ms, 29,870 replies, 0 timeouts`: the requests' round trips. */
function roundTripText(s: ClientStats): string {
  const r = s.rtt;
  const times =
    r.welford.count > 0
      ? `mean ${formatMs(r.welford.mean)}, p50 ${formatMs(r.percentileUs(50))} / p90 ${formatMs(r.percentileUs(90))} / p99 ${formatMs(r.percentileUs(99))} / max ${formatMs(r.welford.max)}, `
      : 'n/a, ';
  const late = s.count('lateReplies') > 0 ? `, ${formatInt(s.count('lateReplies'))} late replies` : '';
  const missed = s.count('requestMissed') > 0 ? `, ${formatInt(s.count('requestMissed'))} due while down or backlogged (not sent)` : '';
  return `${times}${formatInt(s.count('replies'))} replies to ${formatInt(s.count('requests'))} requests, ${formatInt(s.count('requestTimeouts'))} timeouts${late}${missed}`;
}

/** `; failed in tls 3, upgrade 1`: the attempts that failed, by the phase they reached (empty when none did). */
function failedInPhases(s: ClientStats): string {
  const parts = PHASES.filter((p) => s.count(failedCounter(p)) > 0).map((p) => `${p} ${formatInt(s.count(failedCounter(p)))}`);
  return parts.length ? `; failed in ${parts.join(', ')}` : '';
}

/** `tcp p50 0.12 / p99 0.40 ms, tls ..., upgrade ..., session ...` over the phases that were seen. */
function phasesText(p: PhaseStats): string {
  if (p.empty) return 'no attempt finished a phase';
  const parts: string[] = [];
  for (const name of TIMED) {
    const l = p.byPhase[name];
    if (l.welford.count === 0) continue;
    parts.push(`${name} p50 ${formatMs(l.percentileUs(50))} / p99 ${formatMs(l.percentileUs(99))} / max ${formatMs(l.welford.max)}`);
  }
  return `${parts.join(', ')} (${formatInt(p.byPhase.upgrade.welford.count)} upgrades)`;
}

/** `deflate, 1.23 MB on the wire for 1.60 MB of messages (ratio 0.769)`: the compressed messages, as sent and inflated. */
export function compressionText(wireBytes: number, messageBytes: number): string {
  return `deflate, ${formatFixed(wireBytes / 1e6, 2)} MB on the wire for ${formatFixed(messageBytes / 1e6, 2)} MB of messages (ratio ${formatFixed(wireBytes / messageBytes, 3)})`;
}
