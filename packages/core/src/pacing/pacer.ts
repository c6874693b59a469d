import { RateSchedule } from './schedule.js';

/** Timers and time, injected so that tests run the pacer on simulated time. */
export interface PacerTimers {
  nowUs(): number;
  /** Calls `fn` after about `ms` milliseconds (0: as soon as the event loop allows). */
  schedule(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

/** Below this wait (ms), precise timers sleep in a futex instead of a 1 ms-resolution setTimeout. */
const PRECISE_BELOW_MS = 2;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Real timers. `precise` waits of under 2 ms sleep the thread in a futex (Atomics.wait, microsecond
 * resolution, no spinning) and then yield to the event loop, instead of setTimeout's 1 ms
 * granularity; longer waits use setTimeout for all but the last stretch. I/O waits at most 2 ms.
 */
export const realTimers = (nowUs: () => number, precise = true): PacerTimers => ({
  nowUs,
  schedule: (fn, ms) => {
    if (ms <= 0) return setImmediate(fn);
    if (!precise) return setTimeout(fn, Math.max(1, Math.floor(ms)));
    if (ms >= PRECISE_BELOW_MS) return setTimeout(fn, Math.floor(ms - 1));
    Atomics.wait(sleeper, 0, 0, ms);
    return setImmediate(fn);
  },
  cancel: (h) => {
    clearTimeout(h as NodeJS.Timeout);
    clearImmediate(h as NodeJS.Immediate);
  },
});

export interface PacerOptions {
  ratePerSec: number;
  /** Most messages sent in one batch; a stall is caught up in batches of at most this many. */
  maxBatch: number;
  /** Stop after this many messages (default: never). */
  limit?: number;
  /** Start of the schedule, epoch µs (default: now). */
  startUs?: number;
}

/**
 * Sends `send(first, count, nowUs)` for the messages the schedule says are due, in batches, and
 * sleeps until the next one is due. It never sends a message before its scheduled time; after a
 * stall it catches up in batches, and the lag (send time minus scheduled time) tells by how much.
 * `send` returns how many of the offered messages it took (fewer when the socket pushes back).
 */
export class Pacer {
  readonly schedule: RateSchedule;
  /** Index of the next message to send. */
  next = 0;
  private readonly opts: PacerOptions;
  private readonly timers: PacerTimers;
  private readonly send: (first: number, count: number, nowUs: number) => number;
  private handle: unknown = null;
  private running = false;
  private onDone: (() => void) | null = null;

  constructor(opts: PacerOptions, timers: PacerTimers, send: (first: number, count: number, nowUs: number) => number) {
    this.opts = opts;
    this.timers = timers;
    this.send = send;
    this.schedule = new RateSchedule(opts.ratePerSec, opts.startUs ?? timers.nowUs());
  }

  /** Starts pacing; `onDone` runs when `limit` messages have been sent. */
  start(onDone?: () => void): void {
    this.running = true;
    this.onDone = onDone ?? null;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.handle !== null) this.timers.cancel(this.handle);
    this.handle = null;
  }

  /** How far behind schedule the next unsent message is, µs (0 when none is due). */
  backlogUs(nowUs: number): number {
    const due = this.schedule.timeOf(this.next);
    return nowUs > due && this.schedule.dueBy(nowUs) > this.next ? nowUs - due : 0;
  }

  private readonly tick = (): void => {
    this.handle = null;
    if (!this.running) return;
    const now = this.timers.nowUs();
    const limit = this.opts.limit ?? Infinity;
    const due = Math.min(this.schedule.dueBy(now), limit);
    let count = Math.min(due - this.next, this.opts.maxBatch);
    if (count > 0) {
      const taken = this.send(this.next, count, now);
      this.next += taken;
      count = taken;
    }
    if (this.next >= limit) {
      this.running = false;
      this.onDone?.();
      return;
    }
    const stillDue = this.schedule.dueBy(this.timers.nowUs()) > this.next;
    // Behind: continue at once, unless the sink refused everything (then give it a millisecond).
    if (stillDue) {
      this.handle = this.timers.schedule(this.tick, count > 0 ? 0 : 1);
      return;
    }
    const waitMs = (this.schedule.timeOf(this.next) - this.timers.nowUs()) / 1000;
    this.handle = this.timers.schedule(this.tick, Math.max(0.001, waitMs));
  };
}
