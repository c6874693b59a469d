import { DelayQueue, WsState, type Clock } from '@mdbench/core/worker';
import type { Subscriber } from './subscriber.js';

/**
 * Keepalives of every connection of a worker without a timer per connection: each connection waits
 * in a bucketed delay queue until its next keepalive is due; a tick sends the due ones and queues
 * them again. A connection that dropped or reopened since it was queued is skipped (its due time
 * no longer matches).
 */
export class KeepaliveWheel {
  private readonly queue = new DelayQueue<Subscriber>(50);
  private readonly periodMs: number;
  private readonly clock: Clock;
  private readonly send: (c: Subscriber) => void;
  private readonly dead: ((c: Subscriber) => void) | null;

  /**
   * `dead`, when the server answers keepalives: called for a connection that heard nothing at all
   * (no message, no answer) in the whole period after its last keepalive.
   */
  constructor(periodMs: number, clock: Clock, send: (c: Subscriber) => void, dead: ((c: Subscriber) => void) | null = null) {
    this.periodMs = periodMs;
    this.clock = clock;
    this.send = send;
    this.dead = dead;
  }

  /** Starts (or restarts) the keepalives of a connection whose session just opened. */
  add(c: Subscriber): void {
    if (this.periodMs <= 0) return;
    c.heard = true;
    c.keepaliveAtMs = this.clock.monotonicMs() + this.periodMs;
    this.queue.add(c, c.keepaliveAtMs);
  }

  /** Sends every due keepalive (at most `max` per tick, the rest wait for the next). */
  tick(max = 10_000): number {
    const now = this.clock.monotonicMs();
    let sent = 0;
    for (const c of this.queue.takeDue(now, max)) {
      if (c.state !== WsState.OPEN || c.keepaliveAtMs === 0 || c.keepaliveAtMs > now) continue;
      if (this.dead && !c.heard) {
        c.keepaliveAtMs = 0;
        this.dead(c);
        continue;
      }
      c.heard = false;
      this.send(c);
      sent++;
      c.keepaliveAtMs = now + this.periodMs;
      this.queue.add(c, c.keepaliveAtMs);
    }
    return sent;
  }

  get size(): number {
    return this.queue.size;
  }
}
