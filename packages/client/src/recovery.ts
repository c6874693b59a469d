import { formatFixed, formatInt, type ClientGauges, type ThresholdMetric } from '@mdbench/core/internal';

/** The shares of the planned connections whose return is timed. */
const MARKS = [50, 90, 99, 100] as const;
type Mark = (typeof MARKS)[number];

/** One reconnect storm and the fleet's recovery from it. */
export interface Recovery {
  /** When the connections dropped, seconds of uptime (the last sample with them all subscribed, or the moment --drop-all-at dropped them). */
  atS: number;
  /** How the storm came: `made` by --drop-all-at, or `seen` (subscribed connections fell below 90% of those planned). */
  cause: 'made' | 'seen';
  /** Connections down at the lowest point. */
  dropped: number;
  /** Seconds from the drop until 50/90/99/100% of the planned connections were subscribed again (absent: not yet). */
  backS: Partial<Record<`p${Mark}`, number>>;
  /** Connection attempts from the drop to the full return (or to now). */
  attempts: number;
  /** The fastest return seen between two samples, subscriptions per second. */
  peakPerS: number;
  /** Messages lost (sequence gaps) in the report intervals the recovery spanned. */
  lost: number;
}

/** Below this share of the planned connections subscribed, after all of them were, a storm is seen. */
const SEEN_BELOW = 0.9;
/** All subscribed: at least this share (a connection or two in a reconnect does not make a steady state unsteady). */
const STEADY_AT = 0.99;

/**
 * Watches the connection gauges (sampled every 250 ms by the coordinator) for reconnect storms and
 * times the recovery from each: 50/90/99/100% of the planned connections back and resubscribed, the
 * attempts it took, the peak rate of return, and the loss in the intervals it spanned. Times are as
 * fine as the sampling: a storm seen in the gauges is dated to the last sample before it, so its
 * recovery times are at most one sample (0.25 s) long.
 */
export class RecoveryWatch {
  readonly all: Recovery[] = [];
  private current: Recovery | null = null;
  /** A sample since the drop showed connections down (the workers' word of a made drop comes a sample later). */
  private sawDown = false;
  /** The fewest subscribed since the drop: the return has begun once a sample shows more. */
  private lowest = 0;
  private atMs = 0;
  private attemptsAt = 0;
  private last: { ms: number; g: ClientGauges } | null = null;
  private steady: { ms: number; attempts: number } | null = null;
  private readonly startMs: number;

  constructor(startMs: number) {
    this.startMs = startMs;
  }

  /** --drop-all-at dropped every connection now (those subscribed are the drop; some may be back before the next sample). */
  made(nowMs: number, gauges: ClientGauges): void {
    this.begin('made', nowMs, gauges.attempts);
    if (this.current) this.current.dropped = gauges.subscribed;
  }

  private begin(cause: Recovery['cause'], atMs: number, attempts: number): void {
    this.atMs = atMs;
    this.attemptsAt = attempts;
    this.sawDown = false;
    this.lowest = Number.POSITIVE_INFINITY;
    this.current = { atS: (atMs - this.startMs) / 1000, cause, dropped: 0, backS: {}, attempts: 0, peakPerS: 0, lost: 0 };
    this.all.push(this.current);
  }

  /** The gauges now. */
  sample(nowMs: number, gauges: ClientGauges): void {
    const planned = gauges.planned;
    if (planned === 0) return;
    if (!this.current && gauges.subscribed >= STEADY_AT * planned) this.steady = { ms: nowMs, attempts: gauges.attempts };
    else if (!this.current && this.steady && gauges.subscribed < SEEN_BELOW * planned) this.begin('seen', this.steady.ms, this.steady.attempts);
    const r = this.current;
    if (r) {
      r.dropped = Math.max(r.dropped, planned - gauges.subscribed);
      if (this.last && nowMs > this.last.ms) r.peakPerS = Math.max(r.peakPerS, ((gauges.subscribed - this.last.g.subscribed) * 1000) / (nowMs - this.last.ms));
      r.attempts = gauges.attempts - this.attemptsAt;
      // A mark counts once the gauges have shown the connections down (a made drop's word comes a
      // sample later) and their return has begun (a drop seen half-way down is still falling).
      if (gauges.subscribed < planned) this.sawDown = true;
      const returning = this.sawDown && (gauges.subscribed > this.lowest || gauges.subscribed >= planned);
      this.lowest = Math.min(this.lowest, gauges.subscribed);
      for (const m of MARKS)
        if (returning && r.backS[`p${m}`] === undefined && gauges.subscribed >= Math.ceil((m / 100) * planned)) r.backS[`p${m}`] = (nowMs - this.atMs) / 1000;
      if (r.backS.p100 !== undefined) {
        this.current = null;
        this.steady = { ms: nowMs, attempts: gauges.attempts };
      }
    }
    this.last = { ms: nowMs, g: gauges };
  }

  /** An interval's lost messages: counted to the recovery in progress or just ended in it. */
  interval(gaps: number, endedMs: number, seconds: number): void {
    const r = this.all[this.all.length - 1];
    if (!r) return;
    const startMs = endedMs - seconds * 1000;
    const endMs = r.backS.p100 !== undefined ? this.atMs + r.backS.p100 * 1000 : Number.POSITIVE_INFINITY;
    if (startMs <= endMs && endedMs >= this.atMs) r.lost += gaps;
  }
}

/** `50% 1.20 s, 90% 2.81 s, 99% 3.95 s, 100% 4.40 s after the drop of 5,000 at 12.0 s; 5,210 attempts, peak 2,150/s, 0 lost`. */
export function recoveryText(recovery: Recovery): string {
  const marks = MARKS.map((m) => `${m}% ${recovery.backS[`p${m}`] === undefined ? 'not yet' : `${formatFixed(recovery.backS[`p${m}`] as number, 2)} s`}`).join(
    ', ',
  );
  return (
    `${marks} after the drop of ${formatInt(recovery.dropped)} at ${formatFixed(recovery.atS, 1)} s (${recovery.cause === 'made' ? '--drop-all-at' : 'seen in the gauges'}); ` +
    `${formatInt(recovery.attempts)} attempts, peak ${formatInt(recovery.peakPerS)} resubscribed/s, ${formatInt(recovery.lost)} messages lost in the intervals it spanned`
  );
}

/** Thresholds on the recoveries (the slowest of the run): `recovery.p99<30s`. */
export const RECOVERY_THRESHOLD_METRICS: Record<string, ThresholdMetric> = Object.fromEntries(
  MARKS.map((m) => [`recovery.p${m}`, { unit: 'ms', about: `time until ${m}% of the planned connections were back after a drop (the slowest recovery)` }]),
);

/** The figure of a `recovery.*` metric, ms (NaN: no storm, or a recovery that never reached the mark). */
export function recoveryMetric(metric: string, all: readonly Recovery[]): number {
  const key = metric.slice('recovery.'.length) as `p${Mark}`;
  if (all.length === 0) return Number.NaN;
  let worst = 0;
  for (const r of all) {
    const s = r.backS[key];
    if (s === undefined) return Number.NaN;
    worst = Math.max(worst, s * 1000);
  }
  return worst;
}
