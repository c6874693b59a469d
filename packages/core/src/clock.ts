import { performance } from 'node:perf_hooks';

/**
 * Wall-clock time in microseconds since the epoch, with sub-millisecond resolution:
 * `performance.timeOrigin` (taken from gettimeofday at process start) plus the monotonic
 * `performance.now()`. Processes on one host agree to within a few microseconds; across hosts the
 * clocks must be synchronised (NTP/PTP), as in the article.
 */
export function epochUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** Monotonic milliseconds, for intervals and timeouts. */
export function monotonicMs(): number {
  return performance.now();
}

/** The clock a component uses, so tests can drive time by hand. */
export interface Clock {
  /** Epoch microseconds. */
  nowUs(): number;
  /** Epoch milliseconds. */
  nowMs(): number;
}

export const systemClock: Clock = {
  nowUs: epochUs,
  nowMs: () => epochUs() / 1000,
};
