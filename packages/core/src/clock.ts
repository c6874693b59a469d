import { performance } from 'node:perf_hooks';

/**
 * Wall-clock time in microseconds since the epoch, with sub-millisecond resolution: the monotonic
 * `performance.now()` plus an offset calibrated once against the wall clock (see
 * `calibrateWallOffsetMs`). Processes on one host agree to within a few microseconds, even when
 * started on a loaded machine; across hosts the clocks must be synchronised (NTP/PTP), as in the
 * article.
 */
export function epochUs(): number {
  return Math.round(((wallOffsetMs ?? calibrate()) + performance.now()) * 1000);
}

let wallOffsetMs: number | undefined;

function calibrate(): number {
  wallOffsetMs = calibrateWallOffsetMs();
  return wallOffsetMs;
}

export interface CalibrationOptions {
  /** Edges to time at most (default 8). */
  edges?: number;
  /** A bracket this narrow ends the calibration early (default 5 µs). */
  goodEnoughMs?: number;
  /** Time to spend (default 40 ms). */
  budgetMs?: number;
  /** Time to spend at most while no bracket is narrower than 0.2 ms (default 200 ms). */
  lateBudgetMs?: number;
  /** The clocks read (default `performance.now` and `Date.now`; tests inject their own). */
  monotonicMs?: () => number;
  wallMs?: () => number;
}

/** A bracket this narrow puts the offset within 0.1 ms: good enough to stop looking past the budget. */
const LATE_WIDTH_MS = 0.2;

/**
 * Wall clock minus monotonic clock, in ms. `Date.now()` has whole milliseconds, so the moment its
 * value changes is an exact wall-clock instant; it is bracketed between two monotonic readings.
 * Several such edges are timed and the tightest bracket kept, so a preemption between two readings
 * (a loaded machine; `performance.timeOrigin` is a single unguarded pair) widens one bracket and is
 * discarded instead of shifting every timestamp of the process. Costs a few ms of spinning, once.
 */
export function calibrateWallOffsetMs(opts: CalibrationOptions = {}): number {
  const edges = opts.edges ?? 8;
  const goodEnoughMs = opts.goodEnoughMs ?? 0.005;
  const mono = opts.monotonicMs ?? (() => performance.now());
  const wallMs = opts.wallMs ?? Date.now;
  const start0 = mono();
  const deadline = start0 + (opts.budgetMs ?? 40);
  // A loaded machine may leave every bracket of the budget wide (the offset then off by half the
  // width: 1.76 ms once between a client and a server on one CI host): up to this much longer,
  // until one bracket is narrow enough.
  const lateDeadline = start0 + (opts.lateBudgetMs ?? 200);
  let bestWidth = Infinity;
  let best = performance.timeOrigin;
  for (let n = 0; (n < edges && mono() < deadline) || (bestWidth > LATE_WIDTH_MS && mono() < lateDeadline); n++) {
    let before = mono();
    const start = wallMs();
    let wall = start;
    while (wall === start) {
      const t = mono();
      wall = wallMs();
      if (wall === start) before = t;
    }
    const after = mono();
    if (after - before < bestWidth) {
      bestWidth = after - before;
      best = wall - (before + after) / 2;
    }
    if (n >= 2 && bestWidth <= goodEnoughMs) break;
  }
  return best;
}

/** Monotonic milliseconds, for intervals and timeouts. */
function monotonicMs(): number {
  return performance.now();
}

/** The clock a component reads, so tests can drive time by hand. */
export interface Clock {
  /** Wall-clock microseconds since the epoch: what stamps and latencies are measured in. */
  nowUs(): number;
  /** Monotonic milliseconds: what intervals, rates and timeouts are measured in. */
  monotonicMs(): number;
}

/** The process's real clock. */
export const systemClock: Clock = { nowUs: epochUs, monotonicMs };
