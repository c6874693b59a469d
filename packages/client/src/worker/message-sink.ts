import { increment, newIntegrity, newStamp, readStamp, takeCounters, type Clock, type Counters, type Stamp } from '@mdbench/core/worker';
import { LatencyStats, PhaseStats, type ClientStatsWire, type Timed } from '@mdbench/core/stats';
import type { Subscriber } from './subscriber.js';
import { senderIdOf } from './publishing.js';

/**
 * Where a worker's messages are measured: latency from the stamp (scheduled or sent time, the other
 * kept beside it), per-stream integrity, and counts. `take` hands over everything since the last
 * take as mergeable statistics and starts afresh.
 */
export class MessageSink {
  private readonly clock: Clock;
  private readonly fromScheduled: boolean;
  private readonly latency: LatencyStats;
  private readonly latencyOther: LatencyStats;
  /** Round trips of the connections' requests (--request-rate), µs. */
  readonly rtt: LatencyStats;
  /** How long the connection attempts' phases took. */
  private readonly phases = new PhaseStats();
  /** When the bytes being read arrived, epoch µs: one clock read per socket read, not per message. */
  private arrivedUs = 0;
  private readonly integrity = newIntegrity();
  /** Counts since the last take: messages, bytes, unstamped, unexpectedSubject, malformed... */
  readonly counters: Counters = {};
  private readonly stamp: Stamp = newStamp();
  private firstUs = 0;
  private lastUs = 0;
  /** --warmup, µs: messages arriving within it of this worker's first message are counted apart, not measured. */
  private readonly warmupUs: number;
  /** When the warm-up ends (epoch µs); 0 until the first message. */
  private warmEndUs = 0;

  /** `wasm`: record into WebAssembly histograms (loadWasmHistograms first). */
  constructor(clock: Clock, latencyFrom: 'scheduled' | 'sent', wasm = false, warmupS = 0) {
    this.clock = clock;
    this.warmupUs = warmupS * 1e6;
    this.fromScheduled = latencyFrom === 'scheduled';
    this.latency = new LatencyStats(wasm);
    this.latencyOther = new LatencyStats(wasm);
    this.rtt = new LatencyStats(wasm);
  }

  /** Bytes arrived from a socket: the messages in them are measured against this moment. */
  arrived(): void {
    this.arrivedUs = this.clock.nowUs();
  }

  /** A message with its stamp at the start of the payload (or none: counted as unstamped); returns its send time (epoch µs), or -1 when unstamped. */
  message(c: Subscriber, topic: string, payload: Buffer): number {
    if (readStamp(payload, 0, payload.length, this.stamp)) {
      const sentUs = this.stamp.sentUs;
      this.stamped(c, topic, this.stamp, payload.length);
      return sentUs;
    }
    increment(this.counters, 'unstamped');
    increment(this.counters, 'bytes', payload.length);
    return -1;
  }

  /**
   * A message whose stamp is known (the connection's own ones only counted). Within the warm-up (from this worker's first message) it is
   * counted as `warmupMessages` and its sequence followed, but its latency is not measured.
   */
  stamped(c: Subscriber, topic: string, st: Stamp, payloadBytes: number): void {
    if (st.publisherId === senderIdOf(c.index)) {
      // The connection's own message, delivered back as the server chooses (NATS echoes, MQTT 5 no-local does not): counted apart.
      increment(this.counters, 'selfDelivered');
      return;
    }
    const now = this.arrivedUs || this.clock.nowUs();
    if (this.warmupUs > 0) {
      if (this.warmEndUs === 0) this.warmEndUs = now + this.warmupUs;
      if (now < this.warmEndUs) {
        const k = this.counters;
        k.warmupMessages = (k.warmupMessages ?? 0) + 1;
        k.bytes = (k.bytes ?? 0) + payloadBytes;
        c.observe(st.publisherId, topic, st.seq, this.integrity);
        return;
      }
    }
    const fromSched = now - st.scheduledUs;
    const fromSent = now - st.sentUs;
    this.latency.record(this.fromScheduled ? fromSched : fromSent);
    this.latencyOther.record(this.fromScheduled ? fromSent : fromSched);
    if (this.firstUs === 0) this.firstUs = now;
    this.lastUs = now;
    const k = this.counters;
    k.messages = (k.messages ?? 0) + 1;
    k.bytes = (k.bytes ?? 0) + payloadBytes;
    if (!c.hasSubject(topic)) increment(k, 'unexpectedSubject');
    c.observe(st.publisherId, topic, st.seq, this.integrity);
  }

  /**
   * Runs the measuring path (stamp, two latency records, the stream's sequence) over `n` synthetic
   * messages of a throwaway connection before any real one arrives, then forgets them: the first
   * real messages are then measured by optimised code, not by the interpreter.
   */
  warmUp(c: Subscriber, topic: string, n: number, feed?: (now: number) => void): void {
    const st = newStamp();
    const now = this.clock.nowUs();
    this.warmEndUs = 1; // measured, not counted as warm-up messages
    for (let i = 1; i <= n; i++) {
      st.seq = i;
      st.scheduledUs = now - 1000 - (i % 997);
      st.sentUs = now - 500;
      this.stamped(c, topic, st, 512);
    }
    // The transport's own path too (an event stream's parser and the text stamp), when it has one.
    feed?.(now);
    this.take({}, { p99Ms: 0, maxMs: 0 });
    this.warmEndUs = 0;
    this.arrivedUs = 0;
  }

  /** One phase of a connection attempt took `ms`. */
  phase(phase: Timed, ms: number): void {
    this.phases.record(phase, ms * 1000);
  }

  /** Everything since the last take (errors and loop delay come from elsewhere), and start afresh. */
  take(errors: Counters, loopDelay: { p99Ms: number; maxMs: number }): ClientStatsWire {
    const i = this.integrity;
    const w: ClientStatsWire = {
      latency: this.latency.toWire(),
      latencyOther: this.latencyOther.toWire(),
      counters: {
        ...takeCounters(this.counters),
        gaps: i.gaps,
        duplicates: i.duplicates,
        outOfOrder: i.outOfOrder,
        joinedAfter: i.joinedAfter,
        ...(i.missedOffline > 0 ? { missedOffline: i.missedOffline } : {}),
      },
      errors,
      loopDelay,
      firstMessageUs: this.firstUs,
      lastMessageUs: this.lastUs,
      phases: this.phases.toWire(),
      ...(this.rtt.welford.count > 0 ? { rtt: this.rtt.toWire() } : {}),
    };
    this.phases.reset();
    this.rtt.reset();
    i.gaps = i.duplicates = i.outOfOrder = i.joinedAfter = i.missedOffline = 0;
    this.firstUs = this.lastUs = 0;
    this.latency.reset();
    this.latencyOther.reset();
    return w;
  }
}
