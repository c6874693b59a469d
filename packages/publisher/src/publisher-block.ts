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
export function publisherBlock(figures: PublisherFigures): ReportLine[] {
  const rate = figures.sent / figures.seconds;
  const lag = figures.lag;
  const lines: ReportLine[] = [
    ['Uptime', `${formatInt(figures.uptimeS)} s`],
    ['Messages sent', formatInt(figures.sent)],
    ['Total messages', formatInt(figures.totalSent)],
    [
      'Frequency',
      `${formatFixed(rate, 2)} messages/sec (target ${formatFixed(figures.targetRatePerSec, 2)}, error ${formatFixed(rateErrorPct(figures.sent, figures.seconds, figures.targetRatePerSec), 2)}%)`,
    ],
    [
      'Schedule lag',
      lag.welford.count > 0 ? `p99 ${formatMs(lag.percentileUs(99))}, max ${formatMs(lag.welford.max)}, mean ${formatMs(lag.welford.mean)}` : 'n/a',
    ],
    ['Socket backlog', `${formatInt(figures.backlogBytes)} bytes`],
  ];
  if (figures.acks)
    lines.push([
      'Acknowledgements',
      `${formatInt(figures.acks.acked)} acknowledged, ${formatInt(figures.acks.inflight)} in flight (window ${formatInt(figures.acks.window)} per connection)`,
    ]);
  lines.push(['Connection errors', countsText(figures.errors)], ['Event-loop delay', `p99 ${formatFixed(figures.loopP99Ms, 2)} ms`]);
  if (figures.bandwidth) lines.push(['Bandwidth', bandwidthText(figures.bandwidth)]);
  return lines;
}
