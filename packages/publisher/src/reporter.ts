import {
  LatencyStats,
  addCounters,
  formatFixed,
  judgeAll,
  verdictText,
  type BandwidthMeter,
  type Threshold,
  type ThresholdMetric,
  type Verdict,
  type Clock,
  type Counters,
  type HlogWriter,
  type JsonLinesWriter,
  type LogWriter,
  type LoopDelay,
  type PublisherRecord,
} from '@mdbench/core/internal';
import { SATURATION_P99_MS } from '@mdbench/core/worker';
import { publisherBlock, rateErrorPct } from './publisher-block.js';
import { rateHeld } from './rate-held.js';

/** The fields of every record the publisher writes that do not change. */
type PublisherHeader = Pick<
  PublisherRecord,
  'v' | 'tool' | 'version' | 'host' | 'pid' | 'instance' | 'instances' | 'processes' | 'protocol' | 'publisherId' | 'subjectSet'
>;

/** What the reporter reads from the run at each report. */
interface PublisherSource {
  /** Messages and bytes sent since the start. */
  sent(): number;
  /** How far behind its schedule the publisher is now, µs. */
  behindUs(): number;
  bytes(): number;
  /** Schedule lag of the messages sent since the last take (then reset). */
  takeLag(): LatencyStats;
  backlogBytes(): number;
  /** Errors by cause and acknowledgements since the last take. */
  take(): { errors: Counters; acked: number };
  inflight(): number;
}

export interface PublisherReporterOptions {
  log: LogWriter;
  json: JsonLinesWriter | null;
  hlog: HlogWriter | null;
  header: PublisherHeader;
  clock: Clock;
  targetRatePerSec: number;
  /** QoS 1 window per connection, when publishes are acknowledged. */
  window?: number;
  loop: LoopDelay;
  bandwidth?: BandwidthMeter;
  source: PublisherSource;
  /** What the run must meet (--thresholds): judged on the whole run in the summary. */
  thresholds: readonly Threshold[];
}

/** What a publisher's thresholds judge: the rate it held, its schedule lag, its errors and its own saturation. */
export const PUBLISHER_THRESHOLD_METRICS: Record<string, ThresholdMetric> = {
  rate: { unit: '%', about: 'achieved rate over the run, % of the target' },
  lag: { unit: 'ms', about: 'schedule lag p99' },
  'lag.max': { unit: 'ms', about: 'schedule lag max' },
  errors: { unit: 'count', about: 'connection errors and refusals' },
  loop: { unit: 'ms', about: 'publisher event-loop delay p99 (self-saturation)' },
};

/**
 * The publisher's reports: every interval the rate achieved against the target, the schedule lag
 * and the socket backlog, a warning for an interval more than 1% off; the whole run at the end; the
 * same as JSON records and HdrHistogram interval logs of the lag.
 */
export class PublisherReporter {
  /** Intervals reported, and those whose rate was off by more than the tolerance. */
  intervals = 0;
  missed = 0;
  readonly errors: Counters = {};
  private readonly options: PublisherReporterOptions;
  /** Schedule lag of every message reported so far. */
  readonly lagRun = new LatencyStats();
  private startMs: number;
  private lastMs: number;
  private lastSent = 0;
  /** Acknowledgements reported so far. */
  ackedRun = 0;
  /** The thresholds' verdicts, once the summary has judged them. */
  verdicts: Verdict[] = [];
  /** The worst interval event-loop delay p99 so far. */
  private worstLoopP99Ms = 0;

  constructor(o: PublisherReporterOptions) {
    this.options = o;
    this.startMs = this.lastMs = o.clock.monotonicMs();
  }

  /** The clock of the first report starts now: with the schedule, not before it. */
  begin(): void {
    this.startMs = this.lastMs = this.options.clock.monotonicMs();
  }

  report(kind: 'interval' | 'summary'): void {
    const o = this.options;
    const now = o.clock.monotonicMs();
    const uptimeS = (now - this.startMs) / 1000;
    const seconds = kind === 'summary' ? uptimeS : (now - this.lastMs) / 1000;
    this.lastMs = now;
    const total = o.source.sent();
    const sent = kind === 'summary' ? total : total - this.lastSent;
    this.lastSent = total;
    const lagInterval = o.source.takeLag();
    this.lagRun.merge(lagInterval);
    const lag = kind === 'summary' ? this.lagRun : lagInterval;
    const { errors, acked } = o.source.take();
    addCounters(this.errors, errors);
    this.ackedRun += acked;
    const loopP99Ms = o.loop.p99Ms();
    const bandwidth = kind === 'interval' ? o.bandwidth?.take(now) : undefined;
    const acks = o.window !== undefined ? { acked: kind === 'summary' ? this.ackedRun : acked, inflight: o.source.inflight(), window: o.window } : undefined;
    o.log.block(
      publisherBlock({
        uptimeS,
        seconds,
        sent,
        totalSent: total,
        targetRatePerSec: o.targetRatePerSec,
        lag,
        backlogBytes: o.source.backlogBytes(),
        loopP99Ms,
        acks,
        errors: kind === 'summary' ? this.errors : errors,
        bandwidth,
      }),
    );
    const errPct = rateErrorPct(sent, seconds, o.targetRatePerSec);
    if (kind === 'summary') {
      this.verdicts = this.judge(100 + errPct, loopP99Ms);
      for (const v of this.verdicts) o.log.info('Threshold', verdictText(v));
    }
    if (kind === 'interval') {
      this.judgeInterval(sent, seconds, errPct, loopP99Ms, lag);
      o.hlog?.interval(lagInterval.hist, uptimeS - seconds, uptimeS);
    }
    const mem = process.memoryUsage();
    o.json?.write({
      ...o.header,
      type: kind,
      ts: new Date(Math.floor(o.clock.nowUs() / 1000)).toISOString(),
      uptimeS,
      seconds,
      sent,
      totalSent: total,
      bytes: o.source.bytes(),
      targetRatePerSec: o.targetRatePerSec,
      rateErrorPct: errPct,
      lag: lag.toWire(),
      backlogBytes: o.source.backlogBytes(),
      loopDelay: { p99Ms: loopP99Ms, maxMs: o.loop.maxMs() },
      acked: acks?.acked ?? 0,
      inflight: acks?.inflight ?? 0,
      errors: kind === 'summary' ? { ...this.errors } : errors,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      ...(bandwidth ? { bandwidth } : {}),
      ...(kind === 'summary' && this.verdicts.length ? { thresholds: this.verdicts } : {}),
    });
    if (kind === 'interval') {
      this.worstLoopP99Ms = Math.max(this.worstLoopP99Ms, loopP99Ms);
      o.loop.reset();
    }
  }

  /** An interval's warnings: the publisher saturated, the rate not held (counted as a missed interval). */
  private judgeInterval(sent: number, seconds: number, errPct: number, loopP99Ms: number, lag: LatencyStats): void {
    const o = this.options;
    if (loopP99Ms > SATURATION_P99_MS) {
      o.log.warn(
        `the publisher itself is saturated: event-loop delay p99 ${formatFixed(loopP99Ms, 1)} ms; its schedule lag and the latencies it causes include this delay`,
      );
    }
    this.intervals++;
    if (rateHeld(errPct, o.source.behindUs(), seconds)) return;
    this.missed++;
    o.log.warn(
      `rate not held: ${formatFixed(sent / seconds, 2)} messages/sec against ${formatFixed(o.targetRatePerSec, 2)} (${formatFixed(errPct, 2)}%), schedule lag p99 ${formatFixed(lag.percentileUs(99) / 1000, 2)} ms`,
    );
  }

  /** The thresholds judged on the run so far (for --abort-on-fail): the rate from the start, the lag of every message. */
  judgeSoFar(): Verdict[] {
    const uptimeS = (this.options.clock.monotonicMs() - this.startMs) / 1000;
    return this.judge(100 + rateErrorPct(this.options.source.sent(), uptimeS, this.options.targetRatePerSec), this.worstLoopP99Ms);
  }

  private judge(ratePct: number, loopP99Ms: number): Verdict[] {
    const lag = this.lagRun;
    const errors = Object.values(this.errors).reduce((a, n) => a + n, 0);
    const figures: Record<string, number> = { rate: ratePct, lag: lag.percentileUs(99) / 1000, 'lag.max': lag.welford.max / 1000, errors, loop: loopP99Ms };
    return judgeAll(this.options.thresholds, PUBLISHER_THRESHOLD_METRICS, (m) => (lag.welford.count === 0 && m.startsWith('lag') ? NaN : figures[m]));
  }
}
