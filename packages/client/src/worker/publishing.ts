import { DelayQueue, Opcode, PayloadPool, newStamp, writeStamp, type Clock, type Counters, type RunProtocol } from '@mdbench/core/worker';
import { Level, type Subscriber } from './subscriber.js';

/**
 * A client connection's sender id in its stamps: the top bit set, its fleet number below it.
 * mdbench-publisher's ids keep the top bit clear, so the two never meet, and a receiver knows its
 * own messages by its own fleet number.
 */
export function senderIdOf(index: number): number {
  return (0x8000_0000 | index) >>> 0;
}

/** How often due messages are looked for, ms (one slot of the schedule's queue). */
export const PUBLISH_TICK_MS = 5;
/** A connection's unsent bytes past which a due message is not written (a server that does not read). */
const MAX_BACKLOG_BYTES = 1024 * 1024;
/** Most of one connection's overdue messages written in one tick; the rest are counted as not sent. */
const MAX_CATCH_UP = 100;

export interface PublishingOptions {
  protocol: RunProtocol;
  /** Messages per second per connection. */
  rate: number;
  messageSize: number;
  clock: Clock;
  /** Where `published`, `publishMissed` are counted (the worker's sink). */
  counters: Counters;
  rand?: () => number;
}

/**
 * The worker's connections as publishers (--publish-rate): each has its own schedule, a random
 * phase and then one message every 1/rate s, and writes each due message to its subjects in turn
 * with its sender id and its own sequence. Message n of a connection with k subjects goes to
 * subject n mod k with sequence floor(n / k) + 1, so one count per connection is all the state. A
 * message due while the connection is down or backlogged is not sent and takes no sequence number
 * (receivers see no gap for it); it is counted as `publishMissed`. The latency receivers measure
 * starts at the due time, so a late write shows (no coordinated omission).
 */
export class ClientPublishing {
  private readonly o: PublishingOptions;
  private readonly queue = new DelayQueue<Subscriber>(PUBLISH_TICK_MS);
  private readonly periodMs: number;
  private readonly pool: PayloadPool;
  private readonly payload: Buffer;
  private readonly stamp = newStamp();
  private readonly rand: () => number;
  /** Epoch µs minus monotonic µs, fixed at the start: a due time in monotonic ms becomes a stamp. */
  private epochOffsetUs = 0;
  running = false;

  constructor(o: PublishingOptions) {
    this.o = o;
    this.periodMs = 1000 / o.rate;
    this.pool = new PayloadPool(o.messageSize);
    this.payload = Buffer.allocUnsafe(o.messageSize);
    this.rand = o.rand ?? Math.random;
  }

  /** Starts every connection's schedule at a random phase within one period from now. */
  start(conns: readonly Subscriber[]): void {
    const now = this.o.clock.monotonicMs();
    this.epochOffsetUs = this.o.clock.nowUs() - now * 1000;
    this.running = true;
    for (const c of conns) {
      c.publishDueMs = now + this.rand() * this.periodMs;
      this.queue.add(c, c.publishDueMs);
    }
  }

  /** Stops publishing (the run is ending): nothing more is written. */
  stop(): void {
    this.running = false;
  }

  /** Writes the messages that have come due, and puts each connection back for its next one. */
  tick(): void {
    if (!this.running) return;
    const now = this.o.clock.monotonicMs();
    for (const c of this.queue.takeDue(now, Number.POSITIVE_INFINITY)) {
      let n = 0;
      while (c.publishDueMs <= now) {
        if (n++ < MAX_CATCH_UP) this.publish(c, c.publishDueMs);
        else this.o.counters.publishMissed = (this.o.counters.publishMissed ?? 0) + 1;
        c.publishDueMs += this.periodMs;
      }
      this.queue.add(c, c.publishDueMs);
    }
  }

  private publish(c: Subscriber, dueMs: number): void {
    const k = this.o.counters;
    const socket = c.socket;
    if (c.level < Level.SUBSCRIBED || !socket || socket.writableLength > MAX_BACKLOG_BYTES) {
      k.publishMissed = (k.publishMissed ?? 0) + 1;
      return;
    }
    const { protocol, clock } = this.o;
    const subjects = c.subjects;
    const n = c.published;
    const many = typeof subjects !== 'string';
    const topic = many ? subjects[n % subjects.length] : subjects;
    const st = this.stamp;
    st.publisherId = senderIdOf(c.index);
    st.seq = many ? Math.floor(n / subjects.length) + 1 : n + 1;
    st.scheduledUs = Math.round(this.epochOffsetUs + dueMs * 1000);
    st.sentUs = clock.nowUs();
    const from = this.pool.offset(this.rand);
    this.pool.bytes.copy(this.payload, 0, from, from + this.pool.size);
    if (protocol.stamp !== 'header') writeStamp(this.payload, 0, st, protocol.stamp);
    const message = Buffer.allocUnsafe(protocol.publishBytes(topic, this.payload.length));
    protocol.writePublish(message, 0, c, topic, this.payload, st);
    c.send(message);
    // Socket.IO's binary attachment: the payload as a binary message of its own after the publish.
    if (protocol.attachment) c.send(this.payload, Opcode.BINARY);
    c.published++;
    k.published = (k.published ?? 0) + 1;
  }
}
