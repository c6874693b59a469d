import { DelayQueue, type Clock } from '@mdbench/core/worker';
import type { Subscriber } from './subscriber.js';

/** How often due actions are looked for, ms (one slot of a schedule's queue). */
export const SCHEDULE_TICK_MS = 5;
/** Most of one connection's overdue actions done in one tick; the rest are counted as missed. */
const MAX_CATCH_UP = 100;

/** Where a connection keeps the due time of its next action of a kind (monotonic ms). */
type DueField = 'publishDueMs' | 'requestDueMs';

export interface ScheduleOptions {
  /** Actions per second per connection. */
  rate: number;
  clock: Clock;
  field: DueField;
  /** Does the action due at `dueMs` (monotonic) on `c`. */
  act(c: Subscriber, dueMs: number): void;
  /** An action overdue past the catch-up limit was skipped. */
  missed(): void;
  rand?: () => number;
}

/**
 * Every connection of a worker doing one thing at a rate (publishing, requesting): a random phase
 * within the first period, then fixed spacing, the due times kept on the connections and in a
 * slotted queue (no timer per connection). An action is done for its due time however late the
 * tick comes, up to MAX_CATCH_UP per connection at once (a stalled event loop does not make a burst
 * without end); the later ones are counted as missed.
 */
export class ConnectionSchedule {
  private readonly options: ScheduleOptions;
  private readonly queue = new DelayQueue<Subscriber>(SCHEDULE_TICK_MS);
  private readonly periodMs: number;
  /** Epoch µs minus monotonic µs, fixed at the start: a due time in monotonic ms becomes an epoch stamp. */
  private epochOffsetUs = 0;
  running = false;

  constructor(o: ScheduleOptions) {
    this.options = o;
    this.periodMs = 1000 / o.rate;
  }

  /** Starts every connection's schedule at a random phase within one period from now. */
  start(conns: readonly Subscriber[]): void {
    const now = this.options.clock.monotonicMs();
    const rand = this.options.rand ?? Math.random;
    this.epochOffsetUs = this.options.clock.nowUs() - now * 1000;
    this.running = true;
    const f = this.options.field;
    for (const c of conns) {
      c[f] = now + rand() * this.periodMs;
      this.queue.add(c, c[f]);
    }
  }

  /** A connection made after the start (an arrival of the open model) joins at a random phase. */
  add(c: Subscriber): void {
    if (!this.running) return;
    const f = this.options.field;
    c[f] = this.options.clock.monotonicMs() + (this.options.rand ?? Math.random)() * this.periodMs;
    this.queue.add(c, c[f]);
  }

  stop(): void {
    this.running = false;
  }

  /** A due time (monotonic ms) as epoch µs. */
  epochUs(dueMs: number): number {
    return Math.round(this.epochOffsetUs + dueMs * 1000);
  }

  /** Does what has come due, and puts each connection back for its next one. */
  tick(): void {
    if (!this.running) return;
    const now = this.options.clock.monotonicMs();
    const f = this.options.field;
    for (const c of this.queue.takeDue(now, Number.POSITIVE_INFINITY)) {
      let n = 0;
      while (c[f] <= now) {
        if (n++ < MAX_CATCH_UP) this.options.act(c, c[f]);
        else this.options.missed();
        c[f] += this.periodMs;
      }
      this.queue.add(c, c[f]);
    }
  }
}
