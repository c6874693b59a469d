import {
  LatencyStats,
  Opcode,
  clientHeaderBytes,
  deflateMessage,
  newStamp,
  writeClientHeader,
  writeStamp,
  type MaskMode,
  type RunProtocol,
  type Stamp,
} from '@mdbench/core/internal';
import type { PayloadPool } from '@mdbench/core/internal';
import type { SequenceNumbers } from './sequence-numbers.js';
import type { PublisherConnection } from './publisher-connection.js';

export interface BatchEncoderOptions {
  protocol: RunProtocol;
  conns: readonly PublisherConnection[];
  publisherId: number;
  /** Number of subjects, and the protocol's name of subject i. */
  subjectCount: number;
  topicAt(i: number): string;
  seqs: SequenceNumbers;
  pool: PayloadPool;
  rand: () => number;
  mask: MaskMode;
  /** Messages go out as WebSocket frames (false: as the protocol writes them, an HTTP publisher's requests). */
  framed: boolean;
  /** Socket backlog above which the batch waits. */
  highWater: number;
  /** When message k was due, epoch µs (the schedule). */
  scheduledUs(k: number): number;
  /** The send time stamped on a batch, epoch µs. */
  nowUs(): number;
}

/**
 * Turns a batch of due messages into one write per connection: each message goes to a random
 * subject, gets its stamp (publisher, per-subject sequence, scheduled and send time) and a payload
 * of exactly MessageSize bytes, is framed by the protocol and masked as a client WebSocket frame.
 * A subject always goes over the same connection, so its order holds. While a connection is down
 * the subjects it carries are skipped (the draw moves on to a subject of a connection that is up),
 * so one dropped link does not stop the publishing; refuses (takes nothing) while every connection
 * is down or one is backlogged; with QoS 1, takes no more than the acknowledgement window leaves.
 */
export class BatchEncoder {
  /** Messages and bytes written since the start (frames as sent, compressed or not); schedule lag of the messages written. */
  sent = 0;
  bytes = 0;
  /** Bytes of the messages sent compressed: before compression, and as sent (frames). */
  deflateMessageBytes = 0;
  deflateWireBytes = 0;
  readonly lag = new LatencyStats();
  private readonly options: BatchEncoderOptions;
  private readonly picks: number[][];
  private readonly sizes: number[];
  private readonly scratch: Buffer;
  private readonly stamp: Stamp = newStamp();
  private readonly opcode: number;
  private readonly attachmentBytes: number;

  constructor(o: BatchEncoderOptions) {
    this.options = o;
    this.picks = o.conns.map(() => []);
    this.sizes = o.conns.map(() => 0);
    this.scratch = Buffer.allocUnsafe(o.pool.size);
    this.opcode = o.protocol.text ? Opcode.TEXT : Opcode.BINARY;
    // Socket.IO's binary attachment: the payload as a binary message of its own after each publish.
    this.attachmentBytes = o.protocol.attachment ? clientHeaderBytes(o.pool.size) + o.pool.size : 0;
    this.stamp.publisherId = o.publisherId;
  }

  /**
   * How many of `count` due messages can go now: 0 while every connection is down, or a connection
   * that is up is backlogged or at its window. A connection that is down does not stop the others:
   * the subjects it carries are skipped until it is back (see `send`).
   */
  room(count: number): number {
    const window = this.options.protocol.window;
    let room = count;
    let up = 0;
    for (const c of this.options.conns) {
      if (!c.ready) continue;
      up++;
      if ((c.socket?.writableLength ?? 0) > this.options.highWater) return 0;
      if (window !== undefined) room = Math.min(room, window - c.inflight);
    }
    return up === 0 ? 0 : Math.max(0, room);
  }

  /** A subject whose connection is up: `idx` itself, or the next one after it that is (-1: none). */
  private routable(idx: number): number {
    const { conns, subjectCount } = this.options;
    const n = conns.length;
    if (conns[idx % n].ready) return idx;
    // Past the end of the subjects the residues modulo n may repeat: 2n steps reach every connection.
    for (let d = 1; d < Math.min(subjectCount, 2 * n); d++) {
      const other = (idx + d) % subjectCount;
      if (conns[other % n].ready) return other;
    }
    return -1;
  }

  /** Sends messages `first` .. `first + count - 1` of the schedule; returns how many it took. */
  send(first: number, count: number, nowUs: number): number {
    const n = this.room(count);
    if (n === 0) return 0;
    const { protocol, conns, subjectCount, topicAt } = this.options;
    const nConn = conns.length;
    let taken = 0;
    for (let k = 0; k < n; k++) {
      const idx = this.routable(Math.floor(this.options.rand() * subjectCount));
      if (idx < 0) break;
      taken++;
      const bytes = protocol.publishBytes(topicAt(idx), this.options.pool.size);
      const j = idx % nConn;
      this.picks[j].push(idx, first + taken - 1, bytes);
      this.sizes[j] += this.headBytes(bytes) + bytes + this.attachmentBytes;
    }
    if (taken === 0) return 0;
    const sentUs = this.options.nowUs();
    for (let j = 0; j < nConn; j++) {
      if (this.picks[j].length === 0) continue;
      this.bytes += this.writeBatch(conns[j], this.picks[j], this.sizes[j], sentUs, nowUs);
      this.picks[j].length = 0;
      this.sizes[j] = 0;
    }
    this.sent += taken;
    return taken;
  }

  /** The frame header's bytes before a message of `bytes` (none when messages are not framed). */
  private headBytes(bytes: number): number {
    return this.options.framed ? clientHeaderBytes(bytes) : 0;
  }

  /** Writes one connection's share of the batch; returns the bytes written. */
  private writeBatch(conn: PublisherConnection, list: number[], size: number, sentUs: number, nowUs: number): number {
    const { protocol, pool, seqs, topicAt, mask } = this.options;
    const st = this.stamp;
    const stampFormat = protocol.stamp;
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    for (let p = 0; p < list.length; p += 3) {
      const idx = list[p];
      const bytes = list[p + 2];
      const head = this.headBytes(bytes);
      st.seq = seqs.next(idx);
      st.scheduledUs = Math.round(this.options.scheduledUs(list[p + 1]));
      st.sentUs = sentUs;
      const from = pool.offset(this.options.rand);
      pool.bytes.copy(this.scratch, 0, from, from + pool.size);
      if (stampFormat !== 'header') writeStamp(this.scratch, 0, st, stampFormat);
      protocol.writePublish(buf, at + head, conn, topicAt(idx), this.scratch, st);
      if (conn.deflate) at += this.compressInPlace(buf, at, head, bytes, conn.deflate.clientMaxWindowBits);
      else {
        if (head > 0) writeClientHeader(buf, at, this.opcode, bytes, mask);
        at += head + bytes;
      }
      if (this.attachmentBytes > 0) at += this.writeAttachment(buf, at);
      if (protocol.can.acks) conn.inflight++;
      this.lag.record(nowUs - st.scheduledUs);
    }
    conn.socket?.write(at === buf.length ? buf : buf.subarray(0, at));
    return at;
  }

  /** The payload (stamp included) as a binary message of its own at `at`; returns its length. */
  private writeAttachment(buf: Buffer, at: number): number {
    const size = this.options.pool.size;
    const head = clientHeaderBytes(size);
    this.scratch.copy(buf, at + head, 0, size);
    writeClientHeader(buf, at, Opcode.BINARY, size, this.options.mask);
    return head + size;
  }

  /**
   * The message written at `at + head` (`bytes` long), compressed (permessage-deflate) and framed at
   * `at` in its place when that makes it smaller, else framed as it is; returns the frame's length.
   */
  private compressInPlace(buf: Buffer, at: number, head: number, bytes: number, windowBits: number): number {
    const packed = deflateMessage(buf.subarray(at + head, at + head + bytes), windowBits);
    if (packed === null) {
      writeClientHeader(buf, at, this.opcode, bytes, this.options.mask);
      return head + bytes;
    }
    const packedHead = clientHeaderBytes(packed.length);
    packed.copy(buf, at + packedHead);
    writeClientHeader(buf, at, this.opcode, packed.length, this.options.mask);
    buf[at] |= 0x40;
    this.deflateMessageBytes += head + bytes;
    this.deflateWireBytes += packedHead + packed.length;
    return packedHead + packed.length;
  }
}
