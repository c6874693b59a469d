import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { safeText } from '../report/safe-text.js';
import { type CloseCause, type ConnectPhase, type WsClientContext, type WsTarget, WsState } from './client-context.js';
import type { WsClientConnection } from './client-connection.js';
import { connectPlain, connectTls, dropSocket, type SocketOwner, tlsCause } from './client-socket.js';
import type { FragmentJoin } from './fragment-join.js';
import { newKey } from './handshake.js';

/**
 * The life of one client connection's socket, whatever it speaks: the connect (plain or TLS, from
 * the planned local address and port, resuming a TLS session), the phases it took, and why it
 * ended (the first cause set wins; the server's words are made safe for a terminal). What is said
 * over the socket is the subclass's: WsClientConnection.
 */
export abstract class SocketConnection implements SocketOwner {
  socket: net.Socket | null = null;
  state: number = WsState.IDLE;
  protected ctx: WsClientContext<WsClientConnection>;
  /** State needed only while connecting, closing or reassembling fragments; null otherwise. */
  protected rare: RareState | null = null;
  /** The TLS session to resume on the next connect (wss:// with resumption), or null. */
  private tlsSession: Buffer | null = null;

  constructor(ctx: WsClientContext<WsClientConnection>) {
    this.ctx = ctx;
  }

  /** This connection as the events see it (WsClientConnection is the only subclass). */
  private get self(): WsClientConnection {
    return this as unknown as WsClientConnection;
  }

  /** When the current connect attempt began (ms, the caller's clock); 0 once open. */
  get startedMs(): number {
    return this.rare?.startedMs ?? 0;
  }

  protected get r(): RareState {
    return (this.rare ??= newRare());
  }

  /** Starts connecting; the outcome arrives through the context's events. */
  open(target: WsTarget, nowMs: number): void {
    this.state = WsState.CONNECTING;
    this.forget();
    this.rare = newRare();
    this.rare.startedMs = nowMs;
    this.rare.target = target;
    this.rare.key = newKey();
    this.rare.markMs = this.phaseNow();
    if (!target.tls) {
      this.socket = connectPlain(this, target, this.ctx.readBuffer);
      return;
    }
    if (!this.ctx.tls) throw new Error("a wss:// target needs the context's TLS settings");
    this.socket = connectTls(this, target, this.ctx.tls, this.tlsSession);
  }

  /** What the previous connection left that the next must not see (its reader, its compression). */
  protected abstract forget(): void;
  /** The TCP (and TLS) connection is up: the request that opens the connection goes out. */
  protected abstract sendUpgrade(): void;
  /** Bytes read from the socket. */
  protected abstract handleBytes(buf: Buffer, n: number): void;
  /** The socket is gone: what the next connection keeps of this one is saved; the words for a server that just went away. */
  protected abstract released(): string;

  /** @internal */ handleRead(buf: Buffer, n: number): void {
    this.ctx.events.onRead?.(this.self);
    this.handleBytes(buf, n);
  }

  /** @internal */ handleConnect(): void {
    this.phaseEnded('tcp');
    this.sendUpgrade();
  }

  /** @internal */ handleTcpUp(): void {
    this.phaseEnded('tcp');
  }

  /** @internal */ handleSecureConnect(resumed: boolean): void {
    this.phaseEnded('tls');
    this.ctx.events.onTls?.(this.self, resumed);
    this.sendUpgrade();
  }

  /** @internal */ keepTlsSession(session: Buffer): void {
    this.tlsSession = session;
  }

  private phaseNow(): number {
    return this.ctx.nowMs ? this.ctx.nowMs() : performance.now();
  }

  /** Reports the phase that ends now (from the end of the previous one) when the events want phases. */
  protected phaseEnded(name: ConnectPhase): void {
    const ev = this.ctx.events;
    if (!this.rare) return;
    this.rare.phase = name === 'tcp' && this.rare.target?.tls ? 'tls' : 'upgrade';
    if (!ev.onPhase) return;
    const now = this.phaseNow();
    ev.onPhase(this.self, name, now - this.rare.markMs);
    this.rare.markMs = now;
  }

  /** Drops the connection at once, reporting `cause`. */
  abort(cause: CloseCause, detail = ''): void {
    this.setCause(cause, detail);
    if (this.socket) dropSocket(this.socket);
  }

  protected setCause(cause: CloseCause, detail: string): void {
    const r = this.r;
    if (r.cause === null) {
      // A cause or detail may be the server's own words (a close reason, a refusal): never raw to a terminal.
      r.cause = safeText(cause, 80) as CloseCause;
      r.detail = safeText(detail);
    }
  }

  /** @internal */ handleError(err: NodeJS.ErrnoException): void {
    this.setCause(tlsCause(err, this.socket) ?? err.code ?? 'error', err.message);
  }

  /** @internal */ handleClose(): void {
    const wasHandshake = this.state < WsState.OPEN;
    this.state = WsState.CLOSED;
    this.socket = null;
    const ended = this.released();
    if (!this.rare || this.rare.cause === null)
      this.setCause(wasHandshake ? 'handshake' : 'closed', wasHandshake ? 'connection closed during the handshake' : ended);
    const { cause, detail, phase } = this.r;
    this.rare = null;
    this.ctx.events.onClose(this.self, cause as CloseCause, detail, wasHandshake ? phase : null);
  }
}

/** What a connection holds only while it connects, closes or joins fragments. */
export interface RareState {
  startedMs: number;
  /** When the last phase of the connect ended (the ctx's clock). */
  markMs: number;
  target: WsTarget | null;
  key: string | null;
  fragments: FragmentJoin | null;
  /** The phase the attempt is in (tcp until connected). */
  phase: ConnectPhase;
  cause: CloseCause | null;
  detail: string;
}

function newRare(): RareState {
  return { startedMs: 0, markMs: 0, target: null, key: null, fragments: null, phase: 'tcp', cause: null, detail: '' };
}
