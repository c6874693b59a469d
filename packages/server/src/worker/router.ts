import type { Socket } from 'node:net';
import { Opcode, deflateMessage, encodeServerFrame, type DeflateParams } from '@mdbench/core/worker';
import { sseEventOf } from './sse-events.js';
import type { ReplayWindow } from './replay-window.js';
import { Subscriptions } from './subscriptions.js';
import type { WorkerStats } from '../worker-config.js';

export interface RouterOptions {
  /** Bytes queued to one subscriber before it is a slow consumer (0: no limit). */
  bufferLimitSend: number;
  slowConsumer: 'drop' | 'disconnect';
  /** Called for a subject this worker holds its first subscriber of, or its last one left. */
  interest(add: boolean, subject: string): void;
  /** Runs `fn` once the current event-loop turn's I/O is done (setImmediate in a worker). */
  later(fn: () => void): void;
}

/**
 * Subjects to subscribers, and delivery: a message's WebSocket frame is built once and the same
 * bytes are written to every subscriber's socket. Sockets written to in one event-loop turn are
 * corked and uncorked together at its end, so several messages to one socket leave in one write.
 */
/** A message as a publisher sent it compressed without context (valid for any window of at least `windowBits`). */
export interface Packed {
  bytes: Buffer;
  windowBits: number;
}

/** A subscriber's socket: permessage-deflate as agreed with it, or null; an event stream's. */
type Subscriber = Socket & { mdbDeflate?: DeflateParams | null; mdbSse?: boolean };

export class Router<S extends Subscriber = Subscriber> {
  readonly subs = new Subscriptions<S>();
  private readonly options: RouterOptions;
  private readonly stats: WorkerStats;
  private corked: S[] = [];
  private flushScheduled = false;
  /** The recent messages event streams may resume from (recording once the first stream subscribes), or null. */
  replay: ReplayWindow | null = null;

  constructor(o: RouterOptions, stats: WorkerStats) {
    this.options = o;
    this.stats = stats;
  }

  subscribe(sock: S, subject: string): void {
    if (this.subs.add(subject, sock)) this.options.interest(true, subject);
  }

  unsubscribe(sock: S, subject: string): void {
    if (this.subs.remove(subject, sock)) this.options.interest(false, subject);
  }

  /**
   * Delivers a native MESSAGE to this worker's subscribers of `subject`; returns how many got it.
   * Subscribers that agreed to permessage-deflate get the message compressed, once for all of them
   * (the server keeps no context, so one compressed frame serves every such subscriber); a message
   * that came `packed` goes on as it came, not compressed again.
   */
  deliver(message: Buffer, subject: string, packed: Packed | null = null): number {
    this.replay?.record(subject, message);
    const to = this.subs.lookup(subject);
    if (to === undefined) return 0;
    const frames = new MessageFrames(message, packed);
    if (!Array.isArray(to)) return this.write(to, frames.for(to));
    let n = 0;
    for (let i = to.length - 1; i >= 0; i--) if (i < to.length) n += this.write(to[i], frames.for(to[i]));
    return n;
  }

  private write(sock: S, frame: Buffer): number {
    // Disconnected as a slow consumer earlier in this turn: it stays subscribed until its 'close'
    // event, and is neither written to nor counted again (one disconnect, not one per message).
    if (sock.destroyed) return 0;
    const limit = this.options.bufferLimitSend;
    if (limit > 0 && sock.writableLength > limit) {
      if (this.options.slowConsumer === 'drop') {
        this.stats.slowDrops++;
        return 0;
      }
      this.stats.slowDisconnects++;
      sock.destroy();
      return 0;
    }
    if (sock.writableCorked === 0) {
      sock.cork();
      this.corked.push(sock);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        this.options.later(this.flush);
      }
    }
    sock.write(frame);
    this.stats.messagesOut++;
    this.stats.bytesOut += frame.length;
    return 1;
  }

  /** Uncorks every socket written to in this turn: each sends what it holds in one write. */
  readonly flush = (): void => {
    this.flushScheduled = false;
    const list = this.corked;
    this.corked = [];
    for (const s of list) s.uncork();
  };
}

/** One message's frames, each built at most once: plain, and compressed for the window a subscriber allows. */
class MessageFrames {
  private readonly message: Buffer;
  private readonly came: Packed | null;
  private plain: Buffer | null = null;
  private event: Buffer | null = null;
  private asCame: Buffer | null = null;
  private packed: Buffer | null = null;
  private packedBits = 0;

  constructor(message: Buffer, came: Packed | null) {
    this.message = message;
    this.came = came;
  }

  for(sock: Subscriber): Buffer {
    if (sock.mdbSse) return (this.event ??= sseEventOf(this.message));
    const d = sock.mdbDeflate;
    if (d && this.came !== null && d.serverMaxWindowBits >= this.came.windowBits) {
      return (this.asCame ??= encodeServerFrame(Opcode.BINARY, this.came.bytes, true));
    }
    if (d) {
      if (this.packed === null || this.packedBits !== d.serverMaxWindowBits) {
        const packed = deflateMessage(this.message, d.serverMaxWindowBits);
        this.packedBits = d.serverMaxWindowBits;
        this.packed = packed === null ? this.plainFrame() : encodeServerFrame(Opcode.BINARY, packed, true);
      }
      return this.packed;
    }
    return this.plainFrame();
  }

  private plainFrame(): Buffer {
    return (this.plain ??= encodeServerFrame(Opcode.BINARY, this.message));
  }
}
