import { formatFixed } from '@mdbench/core/internal';

/** Latency that grows this fast (ms per second of run) over the recent intervals is a backlog: the server is not keeping up. */
const SLOPE_MS_PER_S = 50;
/** ... and has grown at least this much over them, ms (noise on a quick server is far below). */
const GROWTH_MS = 1000;
/** Intervals with messages needed before anything is said. */
const MIN_INTERVALS = 4;

/** A backlog found: how much the mean latency grew, over how long, and how fast. */
export interface Backlog {
  growthMs: number;
  overS: number;
  slopeMsPerS: number;
  fromMs: number;
  toMs: number;
}

/**
 * Watches the mean latency of each interval for unbounded growth: a server that forwards fewer
 * messages than are published queues the rest, and every message waits longer than the one before.
 * Judged over the later half of the intervals with messages (at least four) by a least-squares slope.
 */
export class BacklogWatch {
  private readonly points: { atS: number; meanMs: number }[] = [];

  add(atS: number, meanMs: number, messages: number): void {
    if (messages > 0 && Number.isFinite(meanMs)) this.points.push({ atS, meanMs });
  }

  /** The backlog the recent intervals show, or null. */
  backlog(): Backlog | null {
    const n = this.points.length;
    if (n < MIN_INTERVALS) return null;
    const recent = this.points.slice(n - Math.max(MIN_INTERVALS, Math.ceil(n / 2)));
    const mx = recent.reduce((a, p) => a + p.atS, 0) / recent.length;
    const my = recent.reduce((a, p) => a + p.meanMs, 0) / recent.length;
    let sxy = 0;
    let sxx = 0;
    for (const p of recent) {
      sxy += (p.atS - mx) * (p.meanMs - my);
      sxx += (p.atS - mx) ** 2;
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    const first = recent[0];
    const last = recent[recent.length - 1];
    const growth = last.meanMs - first.meanMs;
    if (slope < SLOPE_MS_PER_S || growth < GROWTH_MS) return null;
    return { growthMs: growth, overS: last.atS - first.atS, slopeMsPerS: slope, fromMs: first.meanMs, toMs: last.meanMs };
  }
}
/** `latency mean grew from 0.20 s to 24.2 s over 60.0 s (+400 ms per second): a backlog`. */

export function backlogText(backlog: Backlog): string {
  return `latency mean grew from ${formatFixed(backlog.fromMs / 1000, 2)} s to ${formatFixed(backlog.toMs / 1000, 2)} s over ${formatFixed(backlog.overS, 1)} s (+${formatFixed(backlog.slopeMsPerS, 0)} ms per second): a backlog`;
}
