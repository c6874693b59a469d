import { DelayQueue, increment, type Clock, type Counters } from '@mdbench/core/worker';
import { sampleLifetimeMs, type Lifetime } from '../lifetime.js';
import { Level, type Subscriber } from './subscriber.js';

/**
 * The connections' lifetimes (--lifetime): each subscribed connection draws the time it lives, and
 * is retired (a clean close, `lifetime`) when that time comes, unless it dropped meanwhile. Kept by
 * when they end in one queue for the worker, not a timer per connection.
 */
export class Lives {
  private readonly queue = new DelayQueue<Subscriber>(50);
  /** The run is ending: connections stop closing themselves (those reconnecting come back). */
  over = false;

  constructor(
    private readonly lifetime: Lifetime,
    private readonly clock: Clock,
    private readonly counters: Counters,
  ) {}

  /** A connection has subscribed: its life begins now. */
  begin(c: Subscriber, nowMs: number): void {
    c.lifeEndMs = nowMs + sampleLifetimeMs(this.lifetime, Math.random);
    this.queue.add(c, c.lifeEndMs);
  }

  /** Closes the connections whose lifetime has ended. */
  endDue(): void {
    if (this.over) return;
    const now = this.clock.monotonicMs();
    for (const c of this.queue.takeDue(now, Number.POSITIVE_INFINITY)) {
      // A connection that dropped meanwhile has a new life (or none) of its own.
      if (c.level !== Level.SUBSCRIBED || c.lifeEndMs === 0 || c.lifeEndMs > now) continue;
      c.lifeEndMs = 0;
      increment(this.counters, 'lifetimeEnds');
      c.retire('lifetime', 'its lifetime ended');
    }
  }
}
