import net from 'node:net';
import { safeText } from '../report/safe-text.js';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { buildUpgradeRequest, checkUpgradeResponse, type HandshakeError, newKey, type UpgradeResponse } from './handshake.js';
import { CloseCode, Opcode, WsProtocolError, closePayload, encodeClientFrame, readServerFrames, type MaskMode } from './frames.js';
import { PartialFrame } from './partial-frame.js';
import { deflateMessage, inflateMessage, nextHistory, type DeflateOffer, type DeflateParams } from './deflate.js';
import { sniFor, type ClientTls } from './tls-client.js';
import { increment, type Counters } from '../stats/counters.js';
import { EventStream, EventStreamError, type EventSink } from '../sse/event-stream.js';
import { buildStreamRequest, checkStreamResponse } from '../sse/http-head.js';
import { ResponseReader } from '../sse/response-reader.js';

/** Bytes queued unsent to the server above which pings are no longer answered. */
const MAX_QUEUED_PONG_BYTES = 1 << 20;

/** Connection states, in order. */
export const WsState = { IDLE: 0, CONNECTING: 1, HANDSHAKE: 2, OPEN: 3, CLOSING: 4, CLOSED: 5 } as const;

/** Why a connection ended; `closed` is a close the server started, `local` one we started. */
export type CloseCause = string;

/**
 * What a connection speaks once its TCP (and TLS) connection is up: a WebSocket upgrade, an event
 * stream (a GET answered with text/event-stream: each event's data is a text message), or plain
 * HTTP requests written as they are (an HTTP publisher's POSTs: each response's status is a message).
 */
export type Transport = 'websocket' | 'sse' | 'http';

/** Longest event-stream line a connection holds while it is not yet whole. */
const MAX_SSE_LINE = 64 * 1024;

/** The phases of a connect attempt this layer sees (the protocol session comes after). */
export type ConnectPhase = 'tcp' | 'tls' | 'upgrade';

/** Callbacks shared by every connection of a process (one object, not one per connection). */
export interface WsClientEvents<C extends WsClientConnection> {
  onOpen(conn: C): void;
  /** Bytes were read from the socket (before their frames are handled): one clock read per read. */
  onRead?(conn: C): void;
  /** A whole data message; `payload` is valid only during the call. */
  onMessage(conn: C, opcode: number, payload: Buffer): void;
  /**
   * The connection is gone; `cause` is an errno code (ECONNREFUSED...), a TLS code (CERT_HAS_EXPIRED...),
   * `handshake`, `protocol`, `closed` or `local`; `phase` is the connect phase it failed in (null
   * when it had opened).
   */
  onClose(conn: C, cause: CloseCause, detail: string, phase: ConnectPhase | null): void;
  /** A wss:// connection finished its TLS handshake: `resumed` when it resumed an earlier session. */
  onTls?(conn: C, resumed: boolean): void;
  /** A phase of the connect attempt ended after `ms`: the TCP connect, the TLS handshake, the WebSocket upgrade. */
  onPhase?(conn: C, phase: ConnectPhase, ms: number): void;
}

/** Settings shared by every connection of a process. */
export interface WsClientContext<C extends WsClientConnection> {
  events: WsClientEvents<C>;
  /** One read buffer shared by all sockets (`onread`), sized by BufferSize. */
  readBuffer: Buffer;
  maxPayload: number;
  mask: MaskMode;
  /** Data frames go out as text (opcode 1) rather than binary. */
  text?: boolean;
  path: string;
  subprotocol?: string;
  headers?: Record<string, string>;
  /** TLS of wss:// targets (one secure context for the whole process). */
  tls?: ClientTls;
  /** Monotonic ms for timing the phases of a connect (default `performance.now`). */
  nowMs?: () => number;
  /** permessage-deflate offered to every server. */
  deflate?: DeflateOffer;
  /** Where compressed messages received are counted: `deflateWireBytes` as they came, `deflateMessageBytes` inflated. */
  deflateCounters?: Counters;
  /** What the connections speak (default websocket). */
  transport?: Transport;
  /** The request path of one connection (an event stream's URL names its subject), instead of `path`. */
  pathOf?(conn: C): string;
  /** The server's `retry:` of an event stream, ms. */
  onRetry?(ms: number): void;
}

export interface WsTarget {
  host: string;
  port: number;
  localAddress?: string;
  localPort?: number;
  /** wss://: TLS, with the context's `tls`. */
  tls?: boolean;
}

/** A socket that knows its connection from birth (a declared field, not a property added later). */
class ConnSocket extends net.Socket {
  readonly conn: WsClientConnection;
  constructor(conn: WsClientConnection, readBuffer: Buffer) {
    super({ onread: { buffer: readBuffer, callback: onRead }, noDelay: true } as net.SocketConstructorOpts);
    this.conn = conn;
  }
}

/**
 * A lean RFC 6455 client connection over net.Socket: a handshake with a validated
 * Sec-WebSocket-Accept, masked frames out, unmasked frames in, ping/pong and close handled. It keeps
 * only a few fields per connection and reads into a buffer shared by the whole process, so a worker
 * can hold tens of thousands of them at close to a bare socket's memory.
 */
export class WsClientConnection implements EventSink {
  socket: net.Socket | null = null;
  state: number = WsState.IDLE;
  protected ctx: WsClientContext<WsClientConnection>;
  /**
   * Bytes of a handshake (Buffer) or frame (PartialFrame) that has not arrived whole yet; on an open
   * event stream its reader, on an HTTP connection its response reader.
   */
  private pending: Buffer | PartialFrame | EventStream | ResponseReader | null = null;
  /** An event stream's last event id, sent as Last-Event-ID when it reconnects (null: none yet). */
  lastEventId: string | null = null;
  /** State needed only while connecting, closing or reassembling fragments; null otherwise. */
  private rare: RareState | null = null;
  /** The TLS session to resume on the next connect (wss:// with resumption), or null. */
  private tlsSession: Buffer | null = null;
  /** permessage-deflate as agreed with the server, or null (none). */
  deflate: DeflateParams | null = null;
  /** What the server's compressor may still refer to, when it keeps its context (else null). */
  private inflateHistory: Buffer | null = null;

  constructor(ctx: WsClientContext<WsClientConnection>) {
    this.ctx = ctx;
  }

  /** @internal */ get ctxEvents(): WsClientEvents<WsClientConnection> {
    return this.ctx.events;
  }

  /** When the current connect attempt began (ms, the caller's clock); 0 once open. */
  get startedMs(): number {
    return this.rare?.startedMs ?? 0;
  }

  private get r(): RareState {
    return (this.rare ??= newRare());
  }

  /** Starts connecting; the outcome arrives through the context's events. */
  open(target: WsTarget, nowMs: number): void {
    this.state = WsState.CONNECTING;
    this.pending = null;
    this.deflate = null;
    this.inflateHistory = null;
    this.rare = newRare();
    this.rare.startedMs = nowMs;
    this.rare.target = target;
    this.rare.key = newKey();
    this.rare.markMs = this.phaseNow();
    if (target.tls) {
      this.socket = this.openTls(target);
      return;
    }
    const socket = new ConnSocket(this, this.ctx.readBuffer);
    socket.on('connect', onConnect);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.connect({ host: target.host, port: target.port, localAddress: target.localAddress, localPort: target.localPort || undefined });
    this.socket = socket;
  }

  /** A wss:// connection: TLS over the planned local address and port, resuming the last session when allowed. */
  private openTls(target: WsTarget): net.Socket {
    const t = this.ctx.tls;
    if (!t) throw new Error("a wss:// target needs the context's TLS settings");
    const socket = tls.connect({
      host: target.host,
      port: target.port,
      localAddress: target.localAddress,
      localPort: target.localPort || undefined,
      secureContext: t.context,
      servername: sniFor(t, target.host),
      rejectUnauthorized: t.verify,
      session: t.resume ? (this.tlsSession ?? undefined) : undefined,
      // net.connect's options reach the TCP socket (the explicit local address and port) though tls's types omit them.
    } as tls.ConnectionOptions) as tls.TLSSocket & { conn: WsClientConnection };
    socket.conn = this;
    socket.setNoDelay(true);
    socket.on('connect', onTcpUp);
    socket.on('secureConnect', onSecureConnect);
    socket.on('data', onTlsData);
    if (t.resume) socket.on('session', onTlsSession);
    socket.on('error', onError);
    socket.on('close', onClose);
    return socket;
  }

  /** @internal */ handleSecureConnect(resumed: boolean): void {
    this.phaseEnded('tls');
    this.ctx.events.onTls?.(this, resumed);
    this.sendUpgrade();
  }

  private phaseNow(): number {
    return this.ctx.nowMs ? this.ctx.nowMs() : performance.now();
  }

  /** @internal Reports the phase that ends now (from the end of the previous one) when the events want phases. */
  phaseEnded(name: ConnectPhase): void {
    const ev = this.ctx.events;
    if (!this.rare) return;
    this.rare.phase = name === 'tcp' && this.rare.target?.tls ? 'tls' : 'upgrade';
    if (!ev.onPhase) return;
    const now = this.phaseNow();
    ev.onPhase(this, name, now - this.rare.markMs);
    this.rare.markMs = now;
  }

  /** @internal */ keepTlsSession(session: Buffer): void {
    this.tlsSession = session;
  }

  /** Sends one whole message as a single masked frame (text or binary as the context says), compressed when deflate was agreed and it helps. */
  send(payload: Uint8Array | string, opcode: number = this.ctx.text ? Opcode.TEXT : Opcode.BINARY): boolean {
    if (this.state !== WsState.OPEN || !this.socket) return false;
    const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (!this.framed) return this.socket.write(data);
    const packed = this.deflate ? deflateMessage(data, this.deflate.clientMaxWindowBits) : null;
    return this.socket.write(packed ? encodeClientFrame(opcode, packed, this.ctx.mask, true) : encodeClientFrame(opcode, data, this.ctx.mask));
  }

  /** A reply the server asked for (a protocol-level pong): not queued past MAX_QUEUED_PONG_BYTES to a server that does not read. */
  reply(payload: Uint8Array | string): boolean {
    if (this.socket && this.socket.writableLength >= MAX_QUEUED_PONG_BYTES) return false;
    return this.send(payload);
  }

  /** Starts the closing handshake; `cause` is what onClose will report. */
  close(code: number = CloseCode.NORMAL, cause: CloseCause = 'local', detail = ''): void {
    if (!this.socket || this.state >= WsState.CLOSING) return;
    this.setCause(cause, detail);
    if (this.state === WsState.OPEN && this.framed) {
      this.state = WsState.CLOSING;
      this.socket.end(encodeClientFrame(Opcode.CLOSE, closePayload(code), this.ctx.mask));
      // A server that never answers the close must not hold the socket open.
      this.socket.setTimeout(2000, destroyOnTimeout);
    } else {
      this.state = WsState.CLOSING;
      dropSocket(this.socket);
    }
  }

  /**
   * Ends an open connection as RFC 6455 has it: the close frame, then the server's answer and the
   * server's TCP close first, so the TIME_WAIT is the server's and this local address and port can
   * connect to it again at once (a close that sends FIN first would hold the tuple here for a
   * minute). A server that does not answer within 2 s is dropped.
   */
  retire(cause: CloseCause, detail = ''): void {
    if (!this.socket || this.state !== WsState.OPEN) return;
    if (!this.framed) {
      // No closing handshake over HTTP: a reset leaves no TIME_WAIT on this address and port.
      this.close(CloseCode.NORMAL, cause, detail);
      return;
    }
    this.setCause(cause, detail);
    this.state = WsState.CLOSING;
    this.socket.write(encodeClientFrame(Opcode.CLOSE, closePayload(CloseCode.NORMAL), this.ctx.mask));
    this.socket.setTimeout(2000, destroyOnTimeout);
  }

  /** Drops the connection at once, reporting `cause`. */
  abort(cause: CloseCause, detail = ''): void {
    this.setCause(cause, detail);
    if (this.socket) dropSocket(this.socket);
  }

  private setCause(cause: CloseCause, detail: string): void {
    const r = this.r;
    if (r.cause === null) {
      // A cause or detail may be the server's own words (a close reason, a refusal): never raw to a terminal.
      r.cause = safeText(cause, 80) as CloseCause;
      r.detail = safeText(detail);
    }
  }

  /** @internal */ handleConnect(): void {
    this.phaseEnded('tcp');
    this.sendUpgrade();
  }

  /** The connection speaks WebSocket frames (not an event stream or plain HTTP). */
  private get framed(): boolean {
    return this.ctx.transport === undefined || this.ctx.transport === 'websocket';
  }

  private sendUpgrade(): void {
    const r = this.r;
    const t = r.target as WsTarget;
    const transport = this.ctx.transport;
    if (transport === 'http') {
      // Requests go out as soon as the connection is up: nothing to agree first.
      this.opened(new ResponseReader());
      return;
    }
    this.state = WsState.HANDSHAKE;
    const path = this.ctx.pathOf ? this.ctx.pathOf(this) : this.ctx.path;
    if (transport === 'sse') {
      this.socket?.write(buildStreamRequest({ host: t.host, port: t.port, path, headers: this.ctx.headers, lastEventId: this.lastEventId }));
      return;
    }
    this.socket?.write(
      buildUpgradeRequest({
        host: t.host,
        port: t.port,
        path,
        key: r.key as string,
        subprotocol: this.ctx.subprotocol,
        headers: this.ctx.headers,
        deflate: this.ctx.deflate,
      }),
    );
  }

  /** The connection is open (its upgrade or event-stream head done): `reader` reads what follows. */
  private opened(reader: EventStream | ResponseReader | null): void {
    this.pending = reader;
    this.phaseEnded('upgrade');
    this.rare = null;
    this.state = WsState.OPEN;
    this.ctx.events.onOpen(this);
  }

  /** @internal */ handleBytes(buf: Buffer, n: number): void {
    if (this.state === WsState.HANDSHAKE) {
      const data = this.pending instanceof Buffer ? Buffer.concat([this.pending, buf.subarray(0, n)]) : Buffer.from(buf.subarray(0, n));
      if (data[0] === 0x15 && data[1] === 0x03 && !(this.socket instanceof tls.TLSSocket)) {
        this.abort('ws-to-tls-port', 'the server answered with a TLS alert: use wss://');
        return;
      }
      if (this.ctx.transport === 'sse') {
        this.streamHead(data);
        return;
      }
      let response: UpgradeResponse | null;
      try {
        response = checkUpgradeResponse(data, this.r.key as string, this.ctx.subprotocol, this.ctx.deflate);
      } catch (err) {
        const status = (err as HandshakeError).status;
        this.abort('handshake', status ? `HTTP ${status}` : (err as Error).message);
        return;
      }
      if (response === null) {
        this.pending = data;
        return;
      }
      const headerBytes = response.headerBytes;
      this.deflate = response.deflate;
      this.opened(null);
      if (headerBytes < data.length) this.handleFrames(data, headerBytes, data.length, true);
      return;
    }
    if (this.state !== WsState.OPEN && this.state !== WsState.CLOSING) return;
    if (!this.framed) {
      this.readHttp(buf, 0, n);
      return;
    }
    if (this.pending instanceof PartialFrame) {
      // The shared read buffer is overwritten by the next read: the chunk is copied.
      const data = this.pending.push(Buffer.from(buf.subarray(0, n)));
      if (data === null) return;
      this.pending = null;
      this.handleFrames(data, 0, data.length, true);
    } else {
      this.handleFrames(buf, 0, n, false);
    }
  }

  /** The answer to an event stream's GET: the stream opens on a 200 text/event-stream, anything else is refused by name. */
  private streamHead(data: Buffer): void {
    let head: ReturnType<typeof checkStreamResponse>;
    try {
      head = checkStreamResponse(data);
    } catch (err) {
      this.abort('handshake', (err as Error).message);
      return;
    }
    if (head === null) {
      this.pending = data;
      return;
    }
    this.opened(new EventStream(head.chunked, MAX_SSE_LINE, this.ctx.maxPayload));
    if (head.headBytes < data.length) this.readHttp(data, head.headBytes, data.length);
  }

  /** Bytes of an open event stream or HTTP connection; what does not parse or passes a bound drops it (`protocol`). */
  private readHttp(data: Buffer, start: number, end: number): void {
    const reader = this.pending;
    if (this.state !== WsState.OPEN) return;
    try {
      if (reader instanceof EventStream) {
        reader.push(data, start, end, this);
        if (reader.ended) this.abort('closed', 'the server ended the event stream');
      } else if (reader instanceof ResponseReader)
        reader.push(data, start, end, (status) => this.ctx.events.onMessage(this, Opcode.TEXT, Buffer.from(String(status))));
    } catch (err) {
      if (!(err instanceof EventStreamError) && !(err instanceof Error && err.name === 'HandshakeError')) throw err;
      this.abort('protocol', err.message);
    }
  }

  /** @internal One event of the stream: its data is a text message. */
  onEvent(data: Buffer): void {
    if (this.state === WsState.OPEN) this.ctx.events.onMessage(this, Opcode.TEXT, data);
  }

  /** @internal The stream's `retry:`. */
  onRetry(ms: number): void {
    this.ctx.onRetry?.(ms);
  }

  private handleFrames(data: Buffer, start: number, end: number, owned: boolean): void {
    let used: number;
    try {
      used = readServerFrames(data, start, end, this.ctx.maxPayload, this, this.deflate !== null);
    } catch (err) {
      const e = err as WsProtocolError;
      this.close(e.closeCode ?? CloseCode.PROTOCOL_ERROR, 'protocol', e.message);
      return;
    }
    if (start + used < end && this.socket) {
      const rest = data.subarray(start + used, end);
      // The shared read buffer is overwritten by the next read, and a slice of a joined frame would
      // keep the whole join alive: keep a copy of the partial frame alone.
      this.pending = new PartialFrame(owned && rest.length === data.length ? rest : Buffer.from(rest), false);
    }
  }

  /** @internal */ onFrame(fin: boolean, opcode: number, payload: Buffer, compressed: boolean): void {
    if (opcode === Opcode.PING) {
      // A server that pings and never reads gets no more pongs once a MiB is queued to it.
      if (this.state === WsState.OPEN && this.socket && this.socket.writableLength < MAX_QUEUED_PONG_BYTES)
        this.socket.write(encodeClientFrame(Opcode.PONG, payload, this.ctx.mask));
      return;
    }
    if (opcode === Opcode.PONG) return;
    if (opcode === Opcode.CLOSE) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : CloseCode.NORMAL;
      if (this.state === WsState.OPEN) {
        this.setCause('closed', `server closed with ${code}${payload.length > 2 ? ` ${payload.toString('utf8', 2)}` : ''}`);
        this.state = WsState.CLOSING;
        this.socket?.end(encodeClientFrame(Opcode.CLOSE, closePayload(code === 1005 ? 1000 : code), this.ctx.mask));
        // A server that never closes its side must not hold the socket open.
        this.socket?.setTimeout(2000, destroyOnTimeout);
      } else {
        this.socket?.end();
      }
      return;
    }
    if (this.state !== WsState.OPEN) return;
    const fragments = this.rare?.fragments;
    if (opcode === Opcode.CONTINUATION) {
      if (!fragments) throw new WsProtocolError('continuation frame without a message to continue');
      const r = this.r;
      r.fragmentBytes += payload.length;
      if (r.fragmentBytes > this.ctx.maxPayload) throw new WsProtocolError(`fragmented message over the ${this.ctx.maxPayload}-byte limit`, CloseCode.TOO_BIG);
      fragments.push(Buffer.from(payload));
      if (!fin) return;
      const whole = Buffer.concat(fragments, r.fragmentBytes);
      const fragmentOpcode = r.fragmentOpcode;
      r.fragments = null;
      this.deliver(fragmentOpcode, whole, r.fragmentCompressed);
      return;
    }
    if (fragments) throw new WsProtocolError('new message started before the fragmented one ended');
    if (!fin) {
      const r = this.r;
      r.fragments = [Buffer.from(payload)];
      r.fragmentBytes = payload.length;
      r.fragmentOpcode = opcode;
      r.fragmentCompressed = compressed;
      return;
    }
    this.deliver(opcode, payload, compressed);
  }

  /** A whole data message to the events, inflated first when it came compressed. */
  private deliver(opcode: number, payload: Buffer, compressed: boolean): void {
    if (!compressed || this.deflate === null) {
      this.ctx.events.onMessage(this, opcode, payload);
      return;
    }
    const d = this.deflate;
    const message = inflateMessage(payload, this.ctx.maxPayload, this.inflateHistory);
    if (!d.serverNoContextTakeover) this.inflateHistory = nextHistory(this.inflateHistory, message, d.serverMaxWindowBits);
    const counts = this.ctx.deflateCounters;
    if (counts) {
      increment(counts, 'deflateWireBytes', payload.length);
      increment(counts, 'deflateMessageBytes', message.length);
    }
    this.ctx.events.onMessage(this, opcode, message);
  }

  /** @internal */ handleError(err: NodeJS.ErrnoException): void {
    this.setCause(tlsCause(err, this.socket) ?? err.code ?? 'error', err.message);
  }

  /** @internal */ handleClose(): void {
    const wasHandshake = this.state < WsState.OPEN;
    this.state = WsState.CLOSED;
    this.socket = null;
    // The stream's last event id, sent as Last-Event-ID when it connects again.
    if (this.pending instanceof EventStream && this.pending.lastId !== null) this.lastEventId = this.pending.lastId;
    this.pending = null;
    if (!this.rare || this.rare.cause === null) {
      this.setCause(
        wasHandshake ? 'handshake' : 'closed',
        wasHandshake
          ? 'connection closed during the handshake'
          : this.framed
            ? 'server ended the connection without a close frame'
            : 'server ended the connection',
      );
    }
    const { cause, detail, phase } = this.r;
    this.rare = null;
    this.ctx.events.onClose(this, cause as CloseCause, detail, wasHandshake ? phase : null);
  }
}

interface RareState {
  startedMs: number;
  /** When the last phase of the connect ended (the ctx's clock). */
  markMs: number;
  target: WsTarget | null;
  key: string | null;
  fragments: Buffer[] | null;
  fragmentBytes: number;
  fragmentOpcode: number;
  fragmentCompressed: boolean;
  /** The phase the attempt is in (tcp until connected). */
  phase: ConnectPhase;
  cause: CloseCause | null;
  detail: string;
}

function newRare(): RareState {
  return {
    startedMs: 0,
    markMs: 0,
    target: null,
    key: null,
    fragments: null,
    fragmentBytes: 0,
    fragmentOpcode: 0,
    fragmentCompressed: false,
    phase: 'tcp',
    cause: null,
    detail: '',
  };
}

function onRead(this: ConnSocket, n: number, buf: Uint8Array): boolean {
  const conn = this.conn;
  conn.ctxEvents.onRead?.(conn);
  conn.handleBytes(buf as Buffer, n);
  return true;
}
/**
 * A TLS failure named by what went wrong: OpenSSL's verification codes (CERT_HAS_EXPIRED,
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID...) are kept as they are; a server
 * that answers a ClientHello with plain bytes is `wss-to-plaintext-port`; an alert from the server
 * is `tls-alert` with its text (a missing client certificate, a protocol version it refuses).
 */
function tlsCause(err: NodeJS.ErrnoException, socket: net.Socket | null): string | undefined {
  if (!(socket instanceof tls.TLSSocket)) return undefined;
  const text = err.message ?? '';
  if (/wrong version number|packet length too long|http request/i.test(text)) return 'wss-to-plaintext-port';
  if (/alert/i.test(text) || /^ERR_SSL_.*ALERT/.test(err.code ?? '')) return 'tls-alert';
  return undefined;
}

function onTcpUp(this: tls.TLSSocket & { conn: WsClientConnection }): void {
  this.conn.phaseEnded('tcp');
}
function onSecureConnect(this: tls.TLSSocket & { conn: WsClientConnection }): void {
  this.conn.handleSecureConnect(this.isSessionReused());
}
function onTlsData(this: tls.TLSSocket & { conn: WsClientConnection }, chunk: Buffer): void {
  const conn = this.conn;
  conn.ctxEvents.onRead?.(conn);
  conn.handleBytes(chunk, chunk.length);
}
function onTlsSession(this: tls.TLSSocket & { conn: WsClientConnection }, session: Buffer): void {
  this.conn.keepTlsSession(session);
}
function onConnect(this: ConnSocket): void {
  this.conn.handleConnect();
}
function onError(this: net.Socket & { conn: WsClientConnection }, err: NodeJS.ErrnoException): void {
  this.conn.handleError(err);
}
function onClose(this: net.Socket & { conn: WsClientConnection }): void {
  this.conn.handleClose();
}
function destroyOnTimeout(this: net.Socket): void {
  dropSocket(this);
}

/**
 * Ends a socket the client gives up on with a reset where it can: a FIN would leave the explicit
 * local address and port in TIME_WAIT for a minute, and every reconnect of that slot to the same
 * server would fail with EADDRNOTAVAIL. A socket still connecting (no SYN answered) or under TLS
 * is destroyed as usual: the first leaves nothing behind, the second cannot be reset by Node.
 */
function dropSocket(socket: net.Socket): void {
  const handle = (socket as net.Socket & { _handle?: { reset?: unknown } })._handle;
  if (!socket.connecting && !socket.destroyed && !(socket instanceof tls.TLSSocket) && typeof handle?.reset === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
