import {
  ClientStats,
  clientBlock,
  clientMetric,
  formatFixed,
  formatInt,
  judgeAll,
  verdictText,
  type Threshold,
  type Verdict,
  type BandwidthMeter,
  type BandwidthRates,
  type ClientGauges,
  type ClientRecord,
  type Clock,
  type HlogWriter,
  type JsonLinesWriter,
  type LogWriter,
} from '@mdbench/core/internal';
import { SATURATION_P99_MS } from '@mdbench/core/worker';
import type { ClientDelta } from './worker-config.js';
import { BacklogWatch, backlogText } from './backlog.js';
import { CLIENT_RUN_THRESHOLD_METRICS } from './thresholds.js';
import { recoveryMetric, recoveryText, type RecoveryWatch } from './recovery.js';
import type { Population, PopulationWatch } from './population.js';

/** The fields of every record this run writes that do not change (docs/json-lines.md). */
export type ClientHeader = Omit<
  ClientRecord,
  | keyof ClientStatsFields
  | 'type'
  | 'ts'
  | 'uptimeS'
  | 'seconds'
  | 'gauges'
  | 'rssBytes'
  | 'heapUsedBytes'
  | 'rssStartBytes'
  | 'perProcess'
  | 'bandwidth'
  | 'thresholds'
>;
type ClientStatsFields = ReturnType<ClientStats['toWire']>;

export interface ReporterOptions {
  log: LogWriter;
  json: JsonLinesWriter | null;
  hlog: HlogWriter | null;
  header: ClientHeader;
  clock: Clock;
  warmupS: number;
  latencyFrom: 'scheduled' | 'sent';
  perWorker: boolean;
  bandwidth?: BandwidthMeter;
  /** The workers' gauges now, and their summed RSS before connecting. */
  gauges(): ClientGauges;
  rssStartBytes(): number;
  /** Called before a block is written (a spinner clears its line). */
  beforeWrite?(): void;
  /** What the run must meet (--thresholds): judged on the whole run in the summary. */
  thresholds: readonly Threshold[];
  /** The reconnect storms seen or made, and the recovery from each. */
  recovery: RecoveryWatch;
  /** The subscribed population's samples, when it moves (--lifetime, --arrival-rate); else null. */
  population: PopulationWatch | null;
}

/**
 * Turns the workers' deltas into the client's reports: the article's block every interval (the
 * run so far, merged exactly), the warm-up kept apart, the whole-run summary, and the same as JSON
 * records and HdrHistogram interval logs.
 */
export class ClientReporter {
  /** The run's statistics (warm-up messages only counted, as `warmupMessages`). */
  readonly run = new ClientStats();
  private readonly options: ReporterOptions;
  private readonly startMs: number;
  private lastMs: number;
  private worstLoop = { p99Ms: 0, maxMs: 0 };
  private readonly refusalsShown = new Set<string>();
  /** Watches for latency that grows without bound (the server not keeping up). */
  readonly backlogWatch = new BacklogWatch();
  private backlogSaid = false;

  constructor(o: ReporterOptions) {
    this.options = o;
    this.startMs = this.lastMs = o.clock.monotonicMs();
  }

  private get otherStamp(): 'scheduled' | 'sent' {
    return this.options.latencyFrom === 'scheduled' ? 'sent' : 'scheduled';
  }

  /** One interval: merges the deltas, prints the block of the run so far, writes the records; returns the interval and its length (s). */
  interval(deltas: ClientDelta[]): { stats: ClientStats; seconds: number } {
    const now = this.options.clock.monotonicMs();
    const seconds = (now - this.lastMs) / 1000;
    this.lastMs = now;
    const uptimeS = (now - this.startMs) / 1000;
    const interval = new ClientStats();
    for (const d of deltas) interval.addWire(d);
    this.run.merge(interval);
    this.backlogWatch.add(uptimeS, interval.latency.welford.mean / 1000, interval.latency.welford.count);
    this.worstLoop = { p99Ms: Math.max(this.worstLoop.p99Ms, interval.loopP99Ms), maxMs: Math.max(this.worstLoop.maxMs, interval.loopMaxMs) };
    const g = this.options.gauges();
    const bandwidth = this.options.bandwidth?.take(now);
    this.options.beforeWrite?.();
    const log = this.options.log;
    const warm = interval.count('warmupMessages');
    if (warm > 0)
      log.info(
        'Warm-up',
        `${formatInt(warm)} messages in the first ${formatFixed(this.options.warmupS, 1)} s from the first message kept out of the statistics`,
      );
    const loop = { p99Ms: interval.loopP99Ms, maxMs: interval.loopMaxMs };
    log.block(
      clientBlock({ stats: this.run, uptimeS, messagesPerSec: interval.count('messages') / seconds, gauges: g, otherStamp: this.otherStamp, loop, bandwidth }),
    );
    this.options.recovery.interval(interval.count('gaps'), now, seconds);
    this.recoveryLines();
    const population = this.populationLine(interval, g, seconds);
    this.notes(deltas, interval);
    this.options.hlog?.interval(interval.latency.hist, uptimeS - seconds, uptimeS);
    this.write('interval', interval, uptimeS, seconds, g, deltas, bandwidth, [], population);
    return { stats: interval, seconds };
  }

  /** Warnings a reader must not miss: a backlog, the client saturated, a refusal's reason (once per cause), per-worker lines. */
  private notes(deltas: ClientDelta[], interval: ClientStats): void {
    const log = this.options.log;
    const backlog = this.backlogWatch.backlog();
    if (backlog && !this.backlogSaid) log.warn(`the server is not keeping up: ${backlogText(backlog)}`);
    this.backlogSaid = backlog !== null;
    if (interval.loopP99Ms > SATURATION_P99_MS) {
      log.warn(
        `the client itself is saturated: event-loop delay p99 ${formatFixed(interval.loopP99Ms, 1)} ms; latencies include this delay (add --workers or machines)`,
      );
    }
    for (const d of deltas) {
      for (const [cause, detail] of Object.entries(d.refusals ?? {})) {
        if (this.refusalsShown.has(cause)) continue;
        this.refusalsShown.add(cause);
        log.warn(`the server refused or reported: ${cause}${detail && detail !== cause ? ` (${detail})` : ''}`);
      }
    }
    if (this.options.perWorker) {
      for (const d of [...deltas].sort((a, b) => a.workerId - b.workerId)) {
        log.info(
          `Worker ${d.workerId}`,
          `${formatInt(d.gauges.open)} open, ${formatInt(d.latency.welford.count)} messages, mean ${formatFixed(d.latency.welford.mean / 1000, 2)} ms, RSS ${formatFixed(d.rssBytes / 1048576, 1)} MiB`,
        );
      }
    }
  }

  private attemptsBefore = 0;

  /** A moving population's interval: subscribed min/mean/max, connect attempts, disconnects and lifetimes ended per second. */
  private populationLine(interval: ClientStats, gauges: ClientGauges, seconds: number): Population | undefined {
    const p = this.options.population?.take();
    const attempts = gauges.attempts - this.attemptsBefore;
    this.attemptsBefore = gauges.attempts;
    if (!p) return undefined;
    const rate = (n: number) => formatFixed(n / seconds, 1);
    this.options.log.info(
      'Population',
      `subscribed min ${formatInt(p.min)} / mean ${formatFixed(p.mean, 1)} / max ${formatInt(p.max)} of ${formatInt(gauges.planned)} planned; ` +
        `${rate(attempts)} connect attempts/s, ${rate(interval.count('disconnects'))} disconnects/s, ${rate(interval.count('lifetimeEnds'))} lifetimes ended/s`,
    );
    return p;
  }

  /** One Recovery line per storm of the run (the one in progress with its marks so far). */
  private recoveryLines(): void {
    for (const r of this.options.recovery.all) this.options.log.info('Recovery', recoveryText(r));
  }

  /** The figure of a threshold's metric on the run so far. */
  private metric(m: string, gauges: ClientGauges, loopP99Ms: number, run: ClientStats = this.run): number {
    return m.startsWith('recovery.') ? recoveryMetric(m, this.options.recovery.all) : clientMetric(m, run, gauges, loopP99Ms);
  }

  /** Deltas taken after the last interval (messages drained at the end): joined to the run without a report of their own. */
  absorb(deltas: ClientDelta[]): void {
    for (const d of deltas) this.run.addWire(d);
  }

  /** The thresholds judged on the run so far (for --abort-on-fail). */
  judgeSoFar(): Verdict[] {
    return judgeAll(this.options.thresholds, CLIENT_RUN_THRESHOLD_METRICS, (m) => this.metric(m, this.options.gauges(), this.worstLoop.p99Ms));
  }

  /** The workers' last deltas joined to the run, then the whole-run block, the thresholds' verdicts and the record; returns the verdicts. */
  summary(last: ClientDelta[]): Verdict[] {
    const final = new ClientStats();
    for (const d of last) final.addWire(d);
    this.notes(last, final);
    this.run.merge(final);
    const now = this.options.clock.monotonicMs();
    const uptimeS = (now - this.startMs) / 1000;
    const g = this.options.gauges();
    const run = this.run;
    this.options.beforeWrite?.();
    this.options.log.info(
      'Summary',
      `whole run, ${formatFixed(uptimeS, 1)} s${this.options.warmupS > 0 ? `, ${formatInt(run.count('warmupMessages'))} warm-up messages excluded` : ''}`,
    );
    const loop = { p99Ms: Math.max(this.worstLoop.p99Ms, final.loopP99Ms), maxMs: Math.max(this.worstLoop.maxMs, final.loopMaxMs) };
    const note = `over the ${formatFixed(run.flowSeconds, 1)} s from the first message to the last`;
    this.options.log.block(
      clientBlock({ stats: run, uptimeS, messagesPerSec: run.flowRatePerSec, messagesPerSecNote: note, gauges: g, otherStamp: this.otherStamp, loop }),
    );
    this.recoveryLines();
    const verdicts = judgeAll(this.options.thresholds, CLIENT_RUN_THRESHOLD_METRICS, (m) => this.metric(m, g, loop.p99Ms, run));
    for (const v of verdicts) this.options.log.info('Threshold', verdictText(v));
    this.write('summary', run, uptimeS, uptimeS, g, last, undefined, verdicts);
    return verdicts;
  }

  private write(
    type: ClientRecord['type'],
    stats: ClientStats,
    uptimeS: number,
    seconds: number,
    gauges: ClientGauges,
    deltas: ClientDelta[],
    bandwidth: BandwidthRates | undefined,
    verdicts: Verdict[] = [],
    population?: Population,
  ): void {
    if (!this.options.json) return;
    const record: ClientRecord = {
      ...this.options.header,
      type,
      ts: new Date().toISOString(),
      uptimeS,
      seconds,
      ...stats.toWire(),
      gauges,
      rssBytes: deltas.reduce((a, d) => a + d.rssBytes, 0),
      heapUsedBytes: deltas.reduce((a, d) => a + d.heapUsedBytes, 0),
      rssStartBytes: this.options.rssStartBytes(),
      perProcess: deltas.map((d) => ({ worker: d.workerId, rssBytes: d.rssBytes, heapUsedBytes: d.heapUsedBytes })),
      ...(bandwidth ? { bandwidth } : {}),
      ...(verdicts.length ? { thresholds: verdicts } : {}),
      ...(population ? { population } : {}),
    };
    const backlog = type === 'summary' ? this.backlogWatch.backlog() : null;
    if (backlog) record.backlog = { fromMs: backlog.fromMs, toMs: backlog.toMs, overS: backlog.overS };
    if (this.options.recovery.all.length > 0) record.recoveries = this.options.recovery.all.map((r) => ({ ...r, backS: { ...r.backS } }));
    this.options.json.write(record);
  }
}
