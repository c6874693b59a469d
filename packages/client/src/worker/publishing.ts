import { Opcode, PayloadPool, newStamp, writeStamp, type Clock, type Counters, type RunProtocol } from '@mdbench/core/worker';
import { ConnectionSchedule } from './schedule.js';
import { Level, type Subscriber } from './subscriber.js';

/**
 * A client connection's sender id in its stamps: the top bit set, its fleet number below it.
 * mdbench-publisher's ids keep the top bit clear, so the two never meet, and a receiver knows its
 * own messages by its own fleet number.
 */
export function senderIdOf(index: number): number {
  return (0x8000_0000 | index) >>> 0;
}

/** A connection's unsent bytes past which a due message or request is not written (a server that does not read). */
const MAX_BACKLOG_BYTES = 1024 * 1024;

/** A connection a due message or request may go to now: subscribed, and not holding a MiB unsent. */
export function writable(subscriber: Subscriber): boolean {
  return subscriber.level >= Level.SUBSCRIBED && subscriber.socket !== null && subscriber.socket.writableLength <= MAX_BACKLOG_BYTES;
}

/** MessageSize random printable bytes for each message, cut from a pool into one buffer reused for every message. */
export class Payloads {
  private readonly pool: PayloadPool;
  private readonly buf: Buffer;
  private readonly rand: () => number;

  constructor(size: number, rand: () => number) {
    this.pool = new PayloadPool(size);
    this.buf = Buffer.allocUnsafe(size);
    this.rand = rand;
  }

  /** The next payload (valid until the next call). */
  next(): Buffer {
    const from = this.pool.offset(this.rand);
    this.pool.bytes.copy(this.buf, 0, from, from + this.pool.size);
    return this.buf;
  }
}

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
  private readonly options: PublishingOptions;
  readonly schedule: ConnectionSchedule;
  private readonly payloads: Payloads;
  private readonly stamp = newStamp();

  constructor(o: PublishingOptions) {
    this.options = o;
    const rand = o.rand ?? Math.random;
    this.payloads = new Payloads(o.messageSize, rand);
    this.schedule = new ConnectionSchedule({
      rate: o.rate,
      clock: o.clock,
      field: 'publishDueMs',
      rand,
      act: (c, dueMs) => this.publish(c, dueMs),
      missed: () => this.missed(),
    });
  }

  private missed(): void {
    const k = this.options.counters;
    k.publishMissed = (k.publishMissed ?? 0) + 1;
  }

  private publish(c: Subscriber, dueMs: number): void {
    if (!writable(c)) return this.missed();
    const { protocol, clock } = this.options;
    const subjects = c.subjects;
    const n = c.published;
    const many = typeof subjects !== 'string';
    const topic = many ? subjects[n % subjects.length] : subjects;
    const st = this.stamp;
    st.publisherId = senderIdOf(c.index);
    st.seq = many ? Math.floor(n / subjects.length) + 1 : n + 1;
    st.scheduledUs = this.schedule.epochUs(dueMs);
    st.sentUs = clock.nowUs();
    const payload = this.payloads.next();
    if (protocol.stamp !== 'header') writeStamp(payload, 0, st, protocol.stamp);
    const message = Buffer.allocUnsafe(protocol.publishBytes(topic, payload.length));
    protocol.writePublish(message, 0, c, topic, payload, st);
    c.send(message);
    // Socket.IO's binary attachment: the payload as a binary message of its own after the publish.
    if (protocol.attachment) c.send(payload, Opcode.BINARY);
    c.published++;
    const k = this.options.counters;
    k.published = (k.published ?? 0) + 1;
  }
}
