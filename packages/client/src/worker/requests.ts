import { DelayQueue, type Clock, type Counters, type RunProtocol } from '@mdbench/core/worker';
import type { LatencyStats } from '@mdbench/core/stats';
import { Payloads, writable } from './publishing.js';
import { ConnectionSchedule, SCHEDULE_TICK_MS } from './schedule.js';
import type { Subscriber } from './subscriber.js';

export interface RequestsOptions {
  protocol: RunProtocol;
  /** Requests per second per connection. */
  rate: number;
  /** A request with no reply after this long is counted as timed out. */
  timeoutS: number;
  messageSize: number;
  clock: Clock;
  /** Where requests, replies, timeouts and late or stray replies are counted (the worker's sink). */
  counters: Counters;
  /** Where round trips are recorded, µs. */
  rtt: LatencyStats;
  rand?: () => number;
}

/** A request waiting for its reply: its connection and when it was written (epoch µs). */
interface Pending {
  c: Subscriber;
  sentUs: number;
}

/**
 * The worker's connections making requests (--request-rate) by the protocol's own mechanism, each
 * on its own schedule (as publishing), to its subjects in turn. A request carries a worker-wide id;
 * its reply, matched by that id on the same connection, gives the round trip on this process's one
 * clock (no clock offset is involved), from the moment the request was written. A request with no
 * reply within the timeout is counted as `requestTimeouts` (a reply after it as `lateReplies`); one
 * due while its connection is down or backlogged is not sent (`requestMissed`).
 */
export class ClientRequests {
  private readonly options: RequestsOptions;
  readonly schedule: ConnectionSchedule;
  private readonly pending = new Map<number, Pending>();
  /** Ids by the time their timeout ends (monotonic ms). */
  private readonly deadlines = new DelayQueue<number>(SCHEDULE_TICK_MS * 20);
  private readonly payloads: Payloads;
  private nextId = 0;

  constructor(o: RequestsOptions) {
    this.options = o;
    const rand = o.rand ?? Math.random;
    this.payloads = new Payloads(o.messageSize, rand);
    this.schedule = new ConnectionSchedule({
      rate: o.rate,
      clock: o.clock,
      field: 'requestDueMs',
      rand,
      act: (c) => this.request(c),
      missed: () => this.count('requestMissed'),
    });
  }

  private count(key: string): void {
    const k = this.options.counters;
    k[key] = (k[key] ?? 0) + 1;
  }

  /** Requests still waiting for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  private request(c: Subscriber): void {
    const { protocol, clock } = this.options;
    if (!writable(c) || !protocol.writeRequest || !protocol.requestBytes) {
      this.count('requestMissed');
      return;
    }
    const subjects = c.subjects;
    const topic = typeof subjects === 'string' ? subjects : subjects[c.requested++ % subjects.length];
    this.nextId = (this.nextId + 1) >>> 0 || 1;
    const id = this.nextId;
    const payload = this.payloads.next();
    const room = Buffer.allocUnsafe(protocol.requestBytes(c, topic, payload.length));
    const message = room.subarray(0, protocol.writeRequest(room, 0, c, topic, id, payload));
    this.pending.set(id, { c, sentUs: clock.nowUs() });
    this.deadlines.add(id, clock.monotonicMs() + this.options.timeoutS * 1000);
    c.send(message);
    this.count('requests');
  }

  /** The reply to request `id` arrived on `c`: its round trip, or a late or stray reply. */
  answered(c: Subscriber, id: number): void {
    const p = this.pending.get(id);
    if (!p || p.c !== c) {
      this.count('lateReplies');
      return;
    }
    this.pending.delete(id);
    this.options.rtt.record(this.options.clock.nowUs() - p.sentUs);
    this.count('replies');
  }

  /** Counts the requests whose timeout has ended unanswered. */
  expire(): void {
    for (const id of this.deadlines.takeDue(this.options.clock.monotonicMs(), Number.POSITIVE_INFINITY)) {
      if (this.pending.delete(id)) this.count('requestTimeouts');
    }
  }

  /** The run is over: requests still unanswered are counted as timed out (no reply by the end). */
  giveUp(): void {
    for (let n = this.pending.size; n > 0; n--) this.count('requestTimeouts');
    this.pending.clear();
  }
}
