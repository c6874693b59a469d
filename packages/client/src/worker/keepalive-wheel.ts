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
  private readonly whenQuiet: boolean;

  /**
   * `dead`, when the server answers keepalives: called for a connection that heard nothing at all
   * (no message, no answer) in the whole period after its last keepalive. `whenQuiet`: only a
   * connection that heard nothing in the period sends one (a server that needs none from its
   * clients: the native protocol), so connections that receive messages send none.
   */
  constructor(periodMs: number, clock: Clock, send: (c: Subscriber) => void, dead: ((c: Subscriber) => void) | null = null, whenQuiet = false) {
    this.periodMs = periodMs;
    this.clock = clock;
    this.send = send;
    this.dead = dead;
    this.whenQuiet = whenQuiet;
  }

  /** Starts (or restarts) the keepalives of a connection whose session just opened. */
  add(c: Subscriber): void {
    if (this.periodMs <= 0) return;
    c.heard = true;
    c.asked = false;
    c.keepaliveAtMs = this.clock.monotonicMs() + this.periodMs;
    this.queue.add(c, c.keepaliveAtMs);
  }

  /** Sends every due keepalive (at most `max` per tick, the rest wait for the next). */
  tick(max = 10_000): number {
    const now = this.clock.monotonicMs();
    let sent = 0;
    for (const c of this.queue.takeDue(now, max)) {
      if (c.state !== WsState.OPEN || c.keepaliveAtMs === 0 || c.keepaliveAtMs > now) continue;
      c.keepaliveAtMs = now + this.periodMs;
      if (this.whenQuiet && c.heard) {
        // Heard from the server in the period: alive, and no keepalive needed.
        c.heard = false;
        c.asked = false;
        this.queue.add(c, c.keepaliveAtMs);
        continue;
      }
      if (this.dead && !c.heard && (c.asked || !this.whenQuiet)) {
        c.keepaliveAtMs = 0;
        this.dead(c);
        continue;
      }
      c.heard = false;
      c.asked = true;
      this.send(c);
      sent++;
      this.queue.add(c, c.keepaliveAtMs);
    }
    return sent;
  }

  get size(): number {
    return this.queue.size;
  }
}
