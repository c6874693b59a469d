import { bandwidthText, countsText, formatFixed, formatInt, formatMs, type BandwidthRates, type LatencyStats, type ReportLine } from '@mdbench/core/internal';

export interface PublisherFigures {
  uptimeS: number;
  seconds: number;
  sent: number;
  totalSent: number;
  targetRatePerSec: number;
  lag: LatencyStats;
  backlogBytes: number;
  loopP99Ms: number;
  /** QoS 1 only: acknowledged in the record, unacknowledged now, and the window. */
  acks?: { acked: number; inflight: number; window: number };
  errors: Record<string, number>;
  bandwidth?: BandwidthRates;
}

/** Relative error of an achieved rate against the target, in percent. */
export function rateErrorPct(sent: number, seconds: number, target: number): number {
  return ((sent / seconds - target) / target) * 100;
}

/** The publisher's block: what it sent, how close to the schedule, and what the socket holds back. */
export function publisherBlock(f: PublisherFigures): ReportLine[] {
  const rate = f.sent / f.seconds;
  const lag = f.lag;
  const lines: ReportLine[] = [
    ['Uptime', `${formatInt(f.uptimeS)} s`],
    ['Messages sent', formatInt(f.sent)],
    ['Total messages', formatInt(f.totalSent)],
    [
      'Frequency',
      `${formatFixed(rate, 2)} messages/sec (target ${formatFixed(f.targetRatePerSec, 2)}, error ${formatFixed(rateErrorPct(f.sent, f.seconds, f.targetRatePerSec), 2)}%)`,
    ],
    [
      'Schedule lag',
      lag.welford.count > 0 ? `p99 ${formatMs(lag.percentileUs(99))}, max ${formatMs(lag.welford.max)}, mean ${formatMs(lag.welford.mean)}` : 'n/a',
    ],
    ['Socket backlog', `${formatInt(f.backlogBytes)} bytes`],
  ];
  if (f.acks)
    lines.push([
      'Acknowledgements',
      `${formatInt(f.acks.acked)} acknowledged, ${formatInt(f.acks.inflight)} in flight (window ${formatInt(f.acks.window)} per connection)`,
    ]);
  lines.push(['Connection errors', countsText(f.errors)], ['Event-loop delay', `p99 ${formatFixed(f.loopP99Ms, 2)} ms`]);
  if (f.bandwidth) lines.push(['Bandwidth', bandwidthText(f.bandwidth)]);
  return lines;
}
