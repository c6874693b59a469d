import { DelayQueue, TokenBucket, WsState, backoffDelayMs, type BackoffOptions, type Clock } from '@mdbench/core/worker';
import type { Subscriber } from './subscriber.js';

/** Fewest handshakes a ramp keeps in flight, however often they time out. */
const MIN_WINDOW = 4;

export interface RampOptions {
  /** Connections this worker opens. */
  count: number;
  /** New connections (and reconnects) per second. */
  connectRate: number;
  /** Handshakes in flight at once. */
  maxPending: number;
  handshakeTimeoutMs: number;
  backoff: BackoffOptions;
}

/**
 * The ramp of one worker: opens its connections, and reopens dropped ones after their backoff,
 * within a connect rate (token bucket) and a cap on handshakes in flight, so that neither the first
 * ramp nor a server coming back is stampeded. Dropped connections wait in a bucketed delay queue
 * (no timer per connection); handshakes that take too long are aborted as ETIMEDOUT.
 */
export class Ramp {
  /**
   * Connections connecting, upgrading or establishing their protocol session now (until the
   * server acknowledges their subscriptions), with when the attempt began.
   */
  readonly pending = new Map<Subscriber, number>();
  /** Dropped connections waiting out their backoff. */
  readonly retries = new DelayQueue<Subscriber>();
  /** How many of the worker's connections have been opened a first time. */
  opened = 0;
  /**
   * Handshakes allowed in flight now (at most maxPending): halved when attempts time out, grown by
   * one for each session that comes up. A server that is slow to set sessions up (a broker just
   * restarted on a busy host) then gets only as many at once as it completes within the timeout,
   * instead of a storm of attempts that time out, are retried and time out again while it still
   * works through the abandoned ones.
   */
  window: number;
  private lastCutMs = -Infinity;
  private readonly options: RampOptions;
  private readonly clock: Clock;
  private readonly bucket: TokenBucket;
  private readonly create: (k: number) => Subscriber;
  private readonly open: (c: Subscriber) => void;

  /** `create(k)` makes the worker's k-th connection; `open(c)` starts connecting it. */
  constructor(o: RampOptions, clock: Clock, create: (k: number) => Subscriber, open: (c: Subscriber) => void) {
    this.options = o;
    this.clock = clock;
    // 250 ms of the rate: a worker's ticks come every 5-50 ms, but on a box running dozens of
    // workers a tick is often late by more, and a bucket holding 50 ms dropped what a late tick was
    // owed (the tick after a 200-ms stall opened a quarter of the connections due).
    this.bucket = new TokenBucket(o.connectRate, Math.max(1, o.connectRate / 4), clock.monotonicMs());
    this.window = o.maxPending;
    this.create = create;
    this.open = open;
  }

  /**
   * How long until the next tick. Busy (connections still to open, reconnects waiting, handshakes in
   * flight): often enough that a tick opens a few connections, at most every 5 ms. Idle: 100 ms,
   * soon enough for the first reconnect (its backoff is at least that). A fleet runs dozens of
   * workers on a box, and each wakeup of each of them costs the ramp CPU (measured: 30 idle
   * workers ticking every 5 ms took 44% of a core).
   */
  nextTickMs(): number {
    if (this.opened < this.options.count || this.retries.size > 0 || this.pending.size > 0) return Math.min(50, Math.max(5, 4000 / this.options.connectRate));
    return 100;
  }

  /** Opens what the rate and the in-flight cap allow now: due reconnects first, then new connections. */
  tick(): void {
    const now = this.clock.monotonicMs();
    const room = Math.floor(this.window) - this.pending.size;
    if (room <= 0) return;
    const due = this.retries.size > 0 ? this.retries.takeDue(now, room) : [];
    let budget = this.bucket.take(due.length + Math.min(room - due.length, this.options.count - this.opened), now);
    for (const c of due) {
      if (budget > 0) {
        budget--;
        this.start(c);
      } else this.retries.add(c, now);
    }
    while (budget-- > 0 && this.opened < this.options.count) this.start(this.create(this.opened++));
  }

  /** Starts connecting `c` now, past the rate and the in-flight cap (an arrival of the open model). */
  startNow(c: Subscriber): void {
    this.start(c);
  }

  private start(c: Subscriber): void {
    this.pending.set(c, this.clock.monotonicMs());
    this.open(c);
  }

  /** The connection is subscribed (or failed): no longer in flight. Returns whether it was. */
  settled(c: Subscriber): boolean {
    return this.pending.delete(c);
  }

  /** The connection's session is up and subscribed: one more may be in flight (up to maxPending). */
  succeeded(c: Subscriber): void {
    if (this.pending.delete(c)) this.window = Math.min(this.options.maxPending, this.window + 1);
  }

  /** The reconnect delay an event-stream server asked for (`retry:`, ms): no reconnect comes sooner. */
  serverRetryMs = 0;

  /** Queues a dropped connection for reconnecting after a backoff that grows with each failed attempt. */
  retry(c: Subscriber): void {
    c.attempt++;
    this.retries.add(c, this.clock.monotonicMs() + Math.max(this.serverRetryMs, backoffDelayMs(c.attempt - 1, this.options.backoff)));
  }

  /** Queues a connection that closed itself (its lifetime) to connect again at once, within the connect rate. */
  again(c: Subscriber): void {
    this.retries.add(c, this.clock.monotonicMs());
  }

  /**
   * Aborts attempts older than the timeout: a TCP connect or WebSocket upgrade as ETIMEDOUT, a
   * protocol session the server never acknowledged (no CONNACK, CONNECTED, INFO or SUBACK) as
   * session-timeout; both are counted by the close handler and reconnect.
   */
  sweep(): void {
    const now = this.clock.monotonicMs();
    const deadline = now - this.options.handshakeTimeoutMs;
    for (const [c, startedMs] of this.pending) {
      if (startedMs >= deadline) continue;
      // Halved once per timeout period, however many attempts of that period time out.
      if (now - this.lastCutMs >= this.options.handshakeTimeoutMs) {
        this.lastCutMs = now;
        this.window = Math.max(MIN_WINDOW, this.window / 2);
      }
      if (c.state < WsState.OPEN) c.abort('ETIMEDOUT', 'handshake timed out');
      else c.abort('session-timeout', 'the server did not acknowledge the session or its subscriptions within the handshake timeout');
    }
  }
}
