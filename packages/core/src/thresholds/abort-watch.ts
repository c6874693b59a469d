import type { Clock } from '../clock.js';
import type { Verdict } from './threshold.js';

/**
 * --abort-on-fail: a threshold judged on the run so far at every interval, crossed without a break
 * for `graceS` seconds, ends the run (a load test that has already failed need not go on loading
 * the server). A threshold that holds again starts its count over.
 */
export class AbortWatch {
  private readonly graceMs: number;
  private readonly since = new Map<string, number>();

  constructor(graceS: number) {
    this.graceMs = graceS * 1000;
  }

  /** The verdicts of the run so far at `nowMs`; returns the thresholds crossed for the whole grace (empty: go on). */
  check(verdicts: readonly Verdict[], nowMs: number): string[] {
    const due: string[] = [];
    for (const v of verdicts) {
      if (v.passed) {
        this.since.delete(v.threshold);
        continue;
      }
      const from = this.since.get(v.threshold) ?? nowMs;
      this.since.set(v.threshold, from);
      if (nowMs - from >= this.graceMs) due.push(v.threshold);
    }
    return due;
  }
}

/**
 * --abort-on-fail over a run: returns the check to call with the verdicts of the run so far at each
 * interval, which warns and calls `stop` once a threshold has stayed crossed for `graceS`; null
 * when there is nothing to watch.
 */
export function abortOnFail(
  graceS: number | undefined,
  thresholds: readonly unknown[],
  clock: Clock,
  warn: (line: string) => void,
  stop: () => void,
): ((soFar: readonly Verdict[]) => void) | null {
  if (graceS === undefined || thresholds.length === 0) return null;
  const watch = new AbortWatch(graceS);
  return (soFar) => {
    const crossed = watch.check(soFar, clock.monotonicMs());
    if (crossed.length === 0) return;
    warn(`stopping: ${crossed.join(', ')} crossed for ${graceS} s (--abort-on-fail)`);
    stop();
  };
}
