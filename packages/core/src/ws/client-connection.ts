import net from 'node:net';
import { buildUpgradeRequest, checkUpgradeResponse, HandshakeError, newKey } from './handshake.js';
import { CloseCode, Opcode, WsProtocolError, closePayload, encodeClientFrame, readServerFrames, type MaskMode } from './frames.js';

/** Connection states, in order. */
export const WsState = { IDLE: 0, CONNECTING: 1, HANDSHAKE: 2, OPEN: 3, CLOSING: 4, CLOSED: 5 } as const;

/** Why a connection ended; `closed` is a close the server started, `local` one we started. */
export type CloseCause = string;

/** Callbacks shared by every connection of a process (one object, not one per connection). */
export interface WsClientEvents<C extends WsClientConnection> {
  onOpen(conn: C): void;
  /** A whole data message; `payload` is valid only during the call. */
  onMessage(conn: C, opcode: number, payload: Buffer): void;
  /** The connection is gone; `cause` is an errno code (ECONNREFUSED...), `handshake`, `protocol`, `closed` or `local`. */
  onClose(conn: C, cause: CloseCause, detail: string): void;
}

/** Settings shared by every connection of a process. */
export interface WsClientContext<C extends WsClientConnection> {
  events: WsClientEvents<C>;
  /** One read buffer shared by all sockets (`onread`), sized by BufferSize. */
  readBuffer: Buffer;
  maxPayload: number;
  mask: MaskMode;
  path: string;
  subprotocol?: string;
  headers?: Record<string, string>;
}

export interface WsTarget {
  host: string;
  port: number;
  localAddress?: string;
  localPort?: number;
}

const kConn = Symbol('mdbench.conn');
type TaggedSocket = net.Socket & { [kConn]: WsClientConnection };

/**
 * A lean RFC 6455 client connection over net.Socket: a handshake with a validated
 * Sec-WebSocket-Accept, masked frames out, unmasked frames in, ping/pong and close handled. It keeps
 * only a few fields per connection and reads into a buffer shared by the whole process, so a worker
 * can hold tens of thousands of them at close to a bare socket's memory.
 */
export class WsClientConnection {
  socket: net.Socket | null = null;
  state: number = WsState.IDLE;
  /** When the current connect attempt began (ms, the worker's clock). */
  startedMs = 0;
  protected ctx: WsClientContext<any>;
  private target: WsTarget | null = null;
  private key: string | null = null;
  private pending: Buffer | null = null;
  private fragments: Buffer[] | null = null;
  private fragmentOpcode = 0;
  private cause: CloseCause | null = null;
  private detail = '';

  constructor(ctx: WsClientContext<any>) {
    this.ctx = ctx;
  }

  /** Starts connecting; the outcome arrives through the context's events. */
  open(target: WsTarget, nowMs: number): void {
    this.state = WsState.CONNECTING;
    this.startedMs = nowMs;
    this.cause = null;
    this.detail = '';
    this.pending = null;
    this.fragments = null;
    const socket = net.connect({
      host: target.host,
      port: target.port,
      localAddress: target.localAddress,
      localPort: target.localPort || undefined,
      noDelay: true,
      onread: { buffer: this.ctx.readBuffer, callback: onRead },
    }) as TaggedSocket;
    socket[kConn] = this;
    socket.on('connect', onConnect);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('end', onEnd);
    this.socket = socket;
    this.key = newKey();
    this.target = target;
  }

  /** Sends one whole message as a single masked frame. */
  send(payload: Uint8Array, opcode: number = Opcode.BINARY): boolean {
    if (this.state !== WsState.OPEN || !this.socket) return false;
    return this.socket.write(encodeClientFrame(opcode, payload, this.ctx.mask));
  }

  /** Starts the closing handshake; `cause` is what onClose will report. */
  close(code: number = CloseCode.NORMAL, cause: CloseCause = 'local', detail = ''): void {
    if (!this.socket || this.state >= WsState.CLOSING) return;
    this.setCause(cause, detail);
    if (this.state === WsState.OPEN) {
      this.state = WsState.CLOSING;
      this.socket.end(encodeClientFrame(Opcode.CLOSE, closePayload(code), this.ctx.mask));
      // A server that never answers the close must not hold the socket open.
      this.socket.setTimeout(2000, destroyOnTimeout);
    } else {
      this.state = WsState.CLOSING;
      this.socket.destroy();
    }
  }

  /** Drops the connection at once, reporting `cause`. */
  abort(cause: CloseCause, detail = ''): void {
    this.setCause(cause, detail);
    this.socket?.destroy();
  }

  private setCause(cause: CloseCause, detail: string): void {
    if (this.cause === null) {
      this.cause = cause;
      this.detail = detail;
    }
  }

  /** @internal */ handleConnect(): void {
    const t = this.target as WsTarget;
    this.state = WsState.HANDSHAKE;
    this.socket?.write(
      buildUpgradeRequest({ host: t.host, port: t.port, path: this.ctx.path, key: this.key as string, subprotocol: this.ctx.subprotocol, headers: this.ctx.headers }),
    );
  }

  /** @internal */ handleBytes(buf: Buffer, n: number): void {
    if (this.state === WsState.HANDSHAKE) {
      const data = this.pending ? Buffer.concat([this.pending, buf.subarray(0, n)]) : Buffer.from(buf.subarray(0, n));
      let headerBytes: number;
      try {
        headerBytes = checkUpgradeResponse(data, this.key as string, this.ctx.subprotocol);
      } catch (err) {
        const status = (err as HandshakeError).status;
        this.abort('handshake', status ? `HTTP ${status}` : (err as Error).message);
        return;
      }
      if (headerBytes < 0) {
        this.pending = data;
        return;
      }
      this.pending = null;
      this.key = null;
      this.target = null;
      this.state = WsState.OPEN;
      this.ctx.events.onOpen(this);
      if (headerBytes < data.length) this.handleFrames(data, headerBytes, data.length, true);
      return;
    }
    if (this.state !== WsState.OPEN && this.state !== WsState.CLOSING) return;
    if (this.pending) {
      const data = Buffer.concat([this.pending, buf.subarray(0, n)]);
      this.pending = null;
      this.handleFrames(data, 0, data.length, true);
    } else {
      this.handleFrames(buf, 0, n, false);
    }
  }

  private handleFrames(data: Buffer, start: number, end: number, owned: boolean): void {
    let used: number;
    current = this;
    try {
      used = readServerFrames(data, start, end, this.ctx.maxPayload, onFrame);
    } catch (err) {
      const e = err as WsProtocolError;
      this.close(e.closeCode ?? CloseCode.PROTOCOL_ERROR, 'protocol', e.message);
      return;
    }
    if (start + used < end && this.socket) {
      const rest = data.subarray(start + used, end);
      // The shared read buffer is overwritten by the next read: keep a copy of a partial frame.
      this.pending = owned ? rest : Buffer.from(rest);
    }
  }

  /** @internal */ handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === Opcode.PING) {
      if (this.state === WsState.OPEN) this.socket?.write(encodeClientFrame(Opcode.PONG, payload, this.ctx.mask));
      return;
    }
    if (opcode === Opcode.PONG) return;
    if (opcode === Opcode.CLOSE) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : CloseCode.NORMAL;
      if (this.state === WsState.OPEN) {
        this.setCause('closed', `server closed with ${code}${payload.length > 2 ? ` ${payload.toString('utf8', 2)}` : ''}`);
        this.state = WsState.CLOSING;
        this.socket?.end(encodeClientFrame(Opcode.CLOSE, closePayload(code === 1005 ? 1000 : code), this.ctx.mask));
      } else {
        this.socket?.end();
      }
      return;
    }
    if (this.state !== WsState.OPEN) return;
    if (opcode === Opcode.CONTINUATION) {
      if (!this.fragments) throw new WsProtocolError('continuation frame without a message to continue');
      this.fragments.push(Buffer.from(payload));
      if (!fin) return;
      const whole = Buffer.concat(this.fragments);
      this.fragments = null;
      this.ctx.events.onMessage(this, this.fragmentOpcode, whole);
      return;
    }
    if (this.fragments) throw new WsProtocolError('new message started before the fragmented one ended');
    if (!fin) {
      this.fragments = [Buffer.from(payload)];
      this.fragmentOpcode = opcode;
      return;
    }
    this.ctx.events.onMessage(this, opcode, payload);
  }

  /** @internal */ handleError(err: NodeJS.ErrnoException): void {
    this.setCause(err.code ?? 'error', err.message);
  }

  /** @internal */ handleEnd(): void {
    if (this.state === WsState.OPEN) this.setCause('closed', 'server ended the connection without a close frame');
  }

  /** @internal */ handleClose(): void {
    const wasHandshake = this.state < WsState.OPEN;
    this.state = WsState.CLOSED;
    this.socket = null;
    this.pending = null;
    this.fragments = null;
    this.key = null;
    this.target = null;
    if (this.cause === null) this.setCause(wasHandshake ? 'handshake' : 'closed', wasHandshake ? 'connection closed during the handshake' : 'connection closed');
    this.ctx.events.onClose(this, this.cause as CloseCause, this.detail);
  }
}

let current: WsClientConnection | null = null;

function onFrame(fin: boolean, opcode: number, payload: Buffer): void {
  current?.handleFrame(fin, opcode, payload);
}

function onRead(this: TaggedSocket, n: number, buf: Uint8Array): boolean {
  this[kConn].handleBytes(buf as Buffer, n);
  return true;
}
function onConnect(this: TaggedSocket): void {
  this[kConn].handleConnect();
}
function onError(this: TaggedSocket, err: NodeJS.ErrnoException): void {
  this[kConn].handleError(err);
}
function onEnd(this: TaggedSocket): void {
  this[kConn].handleEnd();
}
function onClose(this: TaggedSocket): void {
  this[kConn].handleClose();
}
function destroyOnTimeout(this: net.Socket): void {
  this.destroy();
}
