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

/** The clock a component reads, so tests can drive time by hand. */
export interface Clock {
  /** Wall-clock microseconds since the epoch: what stamps and latencies are measured in. */
  nowUs(): number;
  /** Monotonic milliseconds: what intervals, rates and timeouts are measured in. */
  monotonicMs(): number;
}

/** The process's real clock. */
export const systemClock: Clock = { nowUs: epochUs, monotonicMs };

/** A clock that moves only when told to (tests). */
export class ManualClock implements Clock {
  us: number;
  constructor(startUs = 1_700_000_000_000_000) {
    this.us = startUs;
  }
  nowUs(): number {
    return this.us;
  }
  monotonicMs(): number {
    return this.us / 1000;
  }
  advanceMs(ms: number): void {
    this.us += ms * 1000;
  }
}
