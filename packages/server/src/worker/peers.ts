import type { Socket } from 'node:net';
import { CloseCode, Opcode, WsProtocolError, closePayload, encodeServerFrame, parseUpgradeRequest, readFrames, type FrameSink, type UpgradePolicy } from '@mdbench/core/worker';
import type { WorkerStats } from '../worker-config.js';

/** Where a peer's connection is. */
export const PeerState = { UPGRADING: 0, OPEN: 1, CLOSING: 2 } as const;

/**
 * The few fields a server connection carries, on the socket itself (no wrapper object, no closure,
 * no timer): its state, the unfinished bytes of a request head or frame, its subjects, and the
 * parts of a fragmented message (rare).
 */
export interface PeerFields {
  mdbState: number;
  mdbPending: Buffer | null;
  mdbSubjects: string | string[] | null;
  mdbFragments: { opcode: number; parts: Buffer[] } | null;
}
export type Peer = Socket & PeerFields;

/** What a peer's whole messages mean: the protocol on top of WebSocket. */
export interface MessageHandler {
  /** A whole binary message. */
  onMessage(peer: Peer, data: Buffer): void;
  /** The connection is gone (release its subscriptions). */
  onGone(peer: Peer): void;
}

/** How long a peer may take to answer our close frame before the socket is destroyed. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * WebSocket server connections without http.Server or ws: the upgrade request is parsed here
 * (bounded head, key, version, subprotocol, token; refusals answered 400/401/426/431 and counted),
 * client frames are read and unmasked in place by the core's frame reader, pings answered, close
 * handshakes completed, and frames a server must refuse closed with their code (1002, 1003, 1009).
 */
export class Peers implements FrameSink {
  /** Open connections (for the connection list and shutdown). */
  readonly open = new Set<Peer>();
  private readonly policy: UpgradePolicy;
  private readonly maxPayload: number;
  private readonly handler: MessageHandler;
  private readonly stats: WorkerStats;
  private cur: Peer | null = null;
  /** The socket listeners, shared by every socket of the worker (`this` is the socket). */
  private readonly onData: (this: Peer, chunk: Buffer) => void;
  private readonly onClose: (this: Peer) => void;

  constructor(policy: UpgradePolicy, maxPayload: number, handler: MessageHandler, stats: WorkerStats) {
    this.policy = policy;
    this.maxPayload = maxPayload;
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

  /** Takes an accepted socket. */
  accept(sock: Socket): void {
    const p = sock as Peer;
    p.mdbState = PeerState.UPGRADING;
    p.mdbPending = null;
    p.mdbSubjects = null;
    p.mdbFragments = null;
    p.setNoDelay(true);
    p.on('data', this.onData);
    p.on('close', this.onClose);
    p.on('error', onError);
  }

  /** Bytes from a peer. */
  data(p: Peer, chunk: Buffer): void {
    let data = p.mdbPending ? Buffer.concat([p.mdbPending, chunk]) : chunk;
    p.mdbPending = null;
    if (p.mdbState === PeerState.UPGRADING) {
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
        else {
          p.end(r.response);
          p.setTimeout(CLOSE_TIMEOUT_MS, destroyOnTimeout);
        }
        return;
      }
      p.write(r.response);
      p.mdbState = PeerState.OPEN;
      this.open.add(p);
      if (r.headBytes === data.length) return;
      data = data.subarray(r.headBytes);
    }
    if (p.mdbState !== PeerState.OPEN) return;
    this.cur = p;
    let used: number;
    try {
      used = readFrames(data, 0, data.length, this.maxPayload, true, this);
    } catch (err) {
      const e = err as WsProtocolError;
      if (e.closeCode === CloseCode.TOO_BIG) this.stats.oversized++;
      else this.stats.malformed++;
      this.close(p, e.closeCode ?? CloseCode.PROTOCOL_ERROR, e.message);
      return;
    } finally {
      this.cur = null;
    }
    if (used < data.length && p.mdbState === PeerState.OPEN) p.mdbPending = Buffer.from(data.subarray(used));
  }

  /** One frame of the current peer (FrameSink). */
  onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    const p = this.cur as Peer;
    if (p.mdbState !== PeerState.OPEN) return;
    switch (opcode) {
      case Opcode.PING:
        p.write(encodeServerFrame(Opcode.PONG, payload));
        return;
      case Opcode.PONG:
        return;
      case Opcode.CLOSE: {
        // Echo the status code (none for none), as ws does.
        p.mdbState = PeerState.CLOSING;
        p.end(encodeServerFrame(Opcode.CLOSE, payload.length >= 2 ? closePayload(payload.readUInt16BE(0)) : Buffer.alloc(0)));
        return;
      }
    }
    const frags = p.mdbFragments;
    if (opcode === Opcode.CONTINUATION) {
      if (!frags) throw new WsProtocolError('continuation frame without a message to continue');
      frags.parts.push(Buffer.from(payload));
      if (!fin) return;
      p.mdbFragments = null;
      return this.message(p, frags.opcode, Buffer.concat(frags.parts));
    }
    if (frags) throw new WsProtocolError('new message started before the fragmented one ended');
    if (!fin) {
      p.mdbFragments = { opcode, parts: [Buffer.from(payload)] };
      return;
    }
    this.message(p, opcode, payload);
  }

  private message(p: Peer, opcode: number, data: Buffer): void {
    if (opcode === Opcode.TEXT) {
      this.stats.malformed++;
      this.close(p, CloseCode.UNSUPPORTED, 'text frames are not part of the mdbench protocol');
      return;
    }
    this.handler.onMessage(p, data);
  }

  /** Starts the closing handshake with `code`; a peer that does not answer is destroyed. */
  close(p: Peer, code: number, reason: string): void {
    if (p.mdbState !== PeerState.OPEN) return;
    p.mdbState = PeerState.CLOSING;
    p.mdbPending = null;
    p.end(encodeServerFrame(Opcode.CLOSE, closePayload(code, reason.slice(0, 120))));
    p.setTimeout(CLOSE_TIMEOUT_MS, destroyOnTimeout);
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
function destroyOnTimeout(this: Socket): void {
  this.destroy();
}
