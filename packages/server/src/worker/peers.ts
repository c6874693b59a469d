import type { Socket } from 'node:net';
import {
  CloseCode,
  FragmentJoin,
  Opcode,
  PartialFrame,
  WsProtocolError,
  closePayload,
  encodeServerFrame,
  inflateMessage,
  nextHistory,
  parseUpgradeRequest,
  readFrames,
  type FrameSink,
  type UpgradePolicy,
} from '@mdbench/core/worker';
import type { WorkerStats } from '../worker-config.js';
import { type Peer, PeerState } from './peer.js';
import { PeerDeadlines } from './peer-deadlines.js';
import type { Packed } from './router.js';
import { httpRefusal, readRequestHead, type HttpEndpoints, type StreamHost } from './http-endpoints.js';

/** What a peer's whole messages mean: the protocol on top of WebSocket. */
export interface MessageHandler {
  /** A whole binary message; `packed`: as it came compressed, when it can be sent on as it is. */
  onMessage(peer: Peer, data: Buffer, packed: Packed | null): void;
  /** The connection is gone (release its subscriptions). */
  onGone(peer: Peer): void;
  /** An event stream subscribes its peer to `subject`. */
  subscribeStream(peer: Peer, subject: string): void;
}

/** Bytes a peer may leave unread before a reply disconnects it, when BufferLimit.Send sets no limit. */
const MAX_QUEUED_REPLY_BYTES = 4 * 1024 * 1024;
/**
 * WebSocket server connections without http.Server or ws: the upgrade request is parsed here
 * (bounded head, key, version, subprotocol, token; refusals answered 400/401/426/431 and counted),
 * client frames are read and unmasked in place by the core's frame reader, pings answered, close
 * handshakes completed, and frames a server must refuse closed with their code (1002, 1003, 1009).
 */
export class Peers implements FrameSink, StreamHost<Peer> {
  /** Open connections (for the connection list and shutdown). */
  readonly open = new Set<Peer>();
  /** Event streams and HTTP publishing, when the worker serves them. */
  http: HttpEndpoints<Peer> | null = null;
  private readonly policy: UpgradePolicy;
  private readonly maxPayload: number;
  private readonly handler: MessageHandler;
  private readonly stats: WorkerStats;
  private cur: Peer | null = null;
  /** The socket listeners, shared by every socket of the worker (`this` is the socket). */
  private readonly onData: (this: Peer, chunk: Buffer) => void;
  private readonly onClose: (this: Peer) => void;

  /** When upgrades and closing handshakes must be over, and the event streams' comments. */
  readonly deadlines: PeerDeadlines;
  /** Bytes a peer may have queued unread before a reply to it (pong, acknowledgement) disconnects it. */
  private readonly maxQueuedBytes: number;
  private readonly dropReplies: boolean;

  constructor(
    policy: UpgradePolicy,
    maxPayload: number,
    handler: MessageHandler,
    stats: WorkerStats,
    slow: { maxQueuedBytes: number; policy: 'drop' | 'disconnect' },
    nowMs: () => number,
  ) {
    this.deadlines = new PeerDeadlines(nowMs, stats, this.open);
    this.policy = policy;
    this.maxPayload = maxPayload;
    // Replies are bounded even when messages are not (BufferLimit.Send 0): then over 4 MiB disconnects.
    this.maxQueuedBytes = slow.maxQueuedBytes > 0 ? slow.maxQueuedBytes : MAX_QUEUED_REPLY_BYTES;
    this.dropReplies = slow.policy === 'drop' && slow.maxQueuedBytes > 0;
    this.handler = handler;
    this.stats = stats;
    const peers = this;
    this.onData = function (this: Peer, chunk: Buffer) {
      peers.data(this, chunk);
    };
    this.onClose = function (this: Peer) {
      peers.gone(this);
    };
  }

  /** The peer's side is done: the socket goes after CLOSE_TIMEOUT_MS whatever the peer does. */
  private endWith(p: Peer, frame: Buffer | string): void {
    p.end(frame);
    this.deadlines.closeBy(p);
  }

  /** Takes an accepted socket. */
  accept(sock: Socket): void {
    const p = sock as Peer;
    p.mdbState = PeerState.UPGRADING;
    p.mdbPending = null;
    p.mdbSubjects = null;
    p.mdbFragments = null;
    p.mdbDeflate = null;
    p.mdbInflateHistory = null;
    p.mdbSse = false;
    p.setNoDelay(true);
    p.on('data', this.onData);
    p.on('close', this.onClose);
    p.on('error', onError);
    this.deadlines.upgradeBy(p);
  }

  /** Bytes from a peer. */
  data(p: Peer, chunk: Buffer): void {
    let data = chunk;
    const pending = p.mdbPending;
    if (pending instanceof PartialFrame) {
      const whole = pending.push(chunk);
      if (whole === null) return;
      data = whole;
    } else if (pending) data = Buffer.concat([pending, chunk]);
    p.mdbPending = null;
    if (p.mdbState === PeerState.POSTS) {
      this.http?.posts(p, data);
      return;
    }
    // An event-stream client has nothing more to say.
    if (p.mdbState === PeerState.STREAM) return;
    if (p.mdbState === PeerState.UPGRADING) {
      const head = this.http ? readRequestHead(data) : null;
      if (head && this.http?.handles(head)) {
        this.http.start(p, head, data);
        return;
      }
      const r = parseUpgradeRequest(data, this.policy);
      if (r === null) {
        p.mdbPending = data;
        return;
      }
      if (!r.ok) {
        if (r.status === 401) this.stats.rejected++;
        else this.stats.badUpgrades++;
        p.mdbState = PeerState.CLOSING;
        if (r.response === null) p.destroy();
        else this.endWith(p, r.response);
        return;
      }
      p.write(r.response);
      p.mdbDeflate = r.deflate;
      p.mdbState = PeerState.OPEN;
      this.open.add(p);
      if (r.headBytes === data.length) return;
      data = data.subarray(r.headBytes);
    }
    if (p.mdbState !== PeerState.OPEN) return;
    this.cur = p;
    let used: number;
    try {
      used = readFrames(data, 0, data.length, this.maxPayload, true, this, p.mdbDeflate !== null);
    } catch (err) {
      const e = err as WsProtocolError;
      if (e.closeCode === CloseCode.TOO_BIG) this.stats.oversized++;
      else this.stats.malformed++;
      this.close(p, e.closeCode ?? CloseCode.PROTOCOL_ERROR, e.message);
      return;
    } finally {
      this.cur = null;
    }
    // A copy of the unfinished frame alone: a slice would keep the whole read (or joined frame) alive.
    if (used < data.length && p.mdbState === PeerState.OPEN) p.mdbPending = new PartialFrame(used > 0 ? Buffer.from(data.subarray(used)) : data, true);
  }

  /** One frame of the current peer (FrameSink). */
  onFrame(fin: boolean, opcode: number, payload: Buffer, compressed: boolean): void {
    const p = this.cur as Peer;
    if (p.mdbState !== PeerState.OPEN) return;
    switch (opcode) {
      case Opcode.PING:
        this.reply(p, encodeServerFrame(Opcode.PONG, payload));
        return;
      case Opcode.PONG:
        return;
      case Opcode.CLOSE: {
        // Echo the status code (none for none), as ws does.
        p.mdbState = PeerState.CLOSING;
        // A peer that never closes its side must not hold the socket: endWith times it.
        this.endWith(p, encodeServerFrame(Opcode.CLOSE, payload.length >= 2 ? closePayload(payload.readUInt16BE(0)) : Buffer.alloc(0)));
        return;
      }
    }
    const fragments = p.mdbFragments;
    if (opcode === Opcode.CONTINUATION) {
      if (!fragments) throw new WsProtocolError('continuation frame without a message to continue');
      const whole = fragments.add(payload, fin, this.maxPayload);
      if (whole === null) return;
      p.mdbFragments = null;
      return this.message(p, fragments.opcode, whole, fragments.compressed);
    }
    if (fragments) throw new WsProtocolError('new message started before the fragmented one ended');
    if (!fin) {
      p.mdbFragments = new FragmentJoin(opcode, compressed, payload);
      return;
    }
    this.message(p, opcode, payload, compressed);
  }

  private message(p: Peer, opcode: number, payload: Buffer, compressed: boolean): void {
    let data = payload;
    let packed: Packed | null = null;
    const d = p.mdbDeflate;
    if (compressed && d !== null) {
      data = inflateMessage(payload, this.maxPayload, p.mdbInflateHistory);
      if (!d.clientNoContextTakeover) p.mdbInflateHistory = nextHistory(p.mdbInflateHistory, data, d.clientMaxWindowBits);
      // Compressed without context, the bytes stand alone: subscribers can get them as they came.
      else packed = { bytes: payload, windowBits: d.clientMaxWindowBits };
    }
    if (opcode === Opcode.TEXT) {
      this.stats.malformed++;
      this.close(p, CloseCode.UNSUPPORTED, 'text frames are not part of the mdbench protocol');
      return;
    }
    this.handler.onMessage(p, data, packed);
  }

  /**
   * Writes a reply the peer asked for (pong, acknowledgement, time). A peer that leaves more than
   * the send limit unread is treated as the slow consumer it is: the reply is dropped (policy
   * drop, counted in `slowDrops`) or the peer disconnected (policy disconnect, `slowDisconnects`),
   * so a peer that asks and never reads cannot grow the server's memory.
   */
  reply(p: Peer, frame: Buffer): void {
    if (p.destroyed) return;
    if (p.writableLength <= this.maxQueuedBytes) {
      p.write(frame);
      return;
    }
    if (this.dropReplies) this.stats.slowDrops++;
    else {
      this.stats.slowDisconnects++;
      p.destroy();
    }
  }

  streamOpened(p: Peer, subject: string): void {
    p.mdbState = PeerState.STREAM;
    p.mdbSse = true;
    this.open.add(p);
    this.handler.subscribeStream(p, subject);
  }

  postsOpened(p: Peer): void {
    p.mdbState = PeerState.POSTS;
    this.open.add(p);
  }

  publish(p: Peer, message: Buffer): void {
    this.handler.onMessage(p, message, null);
  }

  refuse(p: Peer, status: number, reason: string): void {
    p.mdbState = PeerState.CLOSING;
    p.mdbPending = null;
    this.endWith(p, httpRefusal(status, reason));
  }

  /** Starts the closing handshake with `code`; a peer that does not answer is destroyed. */
  close(p: Peer, code: number, reason: string): void {
    if (p.mdbState !== PeerState.OPEN) return;
    p.mdbState = PeerState.CLOSING;
    p.mdbPending = null;
    this.endWith(p, encodeServerFrame(Opcode.CLOSE, closePayload(code, reason.slice(0, 120))));
  }

  /** The socket closed: forget it and release what it held. */
  gone(p: Peer): void {
    p.mdbState = PeerState.CLOSING;
    p.mdbPending = null;
    if (this.open.delete(p)) this.handler.onGone(p);
  }
}

function onError(this: Socket): void {
  this.destroy();
}
