import net from 'node:net';
import tls from 'node:tls';
import type { WsTarget } from './client-context.js';
import { sniFor, type ClientTls } from './tls-client.js';

/**
 * What a client socket reports to the connection that owns it. The socket's handlers are functions
 * shared by every socket of the process (no closure per connection): each finds its owner through
 * the socket's `conn`.
 */
export interface SocketOwner {
  /** Bytes read: `n` bytes of `buf` (the process's shared read buffer, or a TLS chunk). */
  handleRead(buf: Buffer, n: number): void;
  /** The TCP connection is up (plain sockets: the upgrade goes out now). */
  handleConnect(): void;
  /** A TLS socket's TCP connection is up (its handshake starts). */
  handleTcpUp(): void;
  handleSecureConnect(resumed: boolean): void;
  keepTlsSession(session: Buffer): void;
  handleError(err: NodeJS.ErrnoException): void;
  handleClose(): void;
}

/** A socket that knows its connection from birth (a declared field, not a property added later). */
class ConnSocket extends net.Socket {
  readonly conn: SocketOwner;
  constructor(conn: SocketOwner, readBuffer: Buffer) {
    super({ onread: { buffer: readBuffer, callback: onRead }, noDelay: true } as net.SocketConstructorOpts);
    this.conn = conn;
  }
}

type OwnedTls = tls.TLSSocket & { conn: SocketOwner };

/** A plain TCP connection from the planned local address and port, read into the shared buffer. */
export function connectPlain(owner: SocketOwner, target: WsTarget, readBuffer: Buffer): net.Socket {
  const socket = new ConnSocket(owner, readBuffer);
  socket.on('connect', onConnect);
  socket.on('error', onError);
  socket.on('close', onClose);
  socket.connect({ host: target.host, port: target.port, localAddress: target.localAddress, localPort: target.localPort || undefined });
  return socket;
}

/** A TLS connection over the planned local address and port, resuming `session` when the settings allow. */
export function connectTls(owner: SocketOwner, target: WsTarget, t: ClientTls, session: Buffer | null): net.Socket {
  const socket = tls.connect({
    host: target.host,
    port: target.port,
    localAddress: target.localAddress,
    localPort: target.localPort || undefined,
    secureContext: t.context,
    servername: sniFor(t, target.host),
    rejectUnauthorized: t.verify,
    session: t.resume ? (session ?? undefined) : undefined,
    // net.connect's options reach the TCP socket (the explicit local address and port) though tls's types omit them.
  } as tls.ConnectionOptions) as OwnedTls;
  socket.conn = owner;
  socket.setNoDelay(true);
  socket.on('connect', onTcpUp);
  socket.on('secureConnect', onSecureConnect);
  socket.on('data', onTlsData);
  if (t.resume) socket.on('session', onTlsSession);
  socket.on('error', onError);
  socket.on('close', onClose);
  return socket;
}

function onRead(this: ConnSocket, n: number, buf: Uint8Array): boolean {
  this.conn.handleRead(buf as Buffer, n);
  return true;
}
function onTcpUp(this: OwnedTls): void {
  this.conn.handleTcpUp();
}
function onSecureConnect(this: OwnedTls): void {
  this.conn.handleSecureConnect(this.isSessionReused());
}
function onTlsData(this: OwnedTls, chunk: Buffer): void {
  this.conn.handleRead(chunk, chunk.length);
}
function onTlsSession(this: OwnedTls, session: Buffer): void {
  this.conn.keepTlsSession(session);
}
function onConnect(this: ConnSocket): void {
  this.conn.handleConnect();
}
function onError(this: net.Socket & { conn: SocketOwner }, err: NodeJS.ErrnoException): void {
  this.conn.handleError(err);
}
function onClose(this: net.Socket & { conn: SocketOwner }): void {
  this.conn.handleClose();
}

/** Drops a socket that has not finished its close within `ms` (a peer that never answers a close). */
export function dropAfter(socket: net.Socket, ms: number): void {
  socket.setTimeout(ms, destroyOnTimeout);
}
function destroyOnTimeout(this: net.Socket): void {
  dropSocket(this);
}

/**
 * A TLS failure named by what went wrong: OpenSSL's verification codes (CERT_HAS_EXPIRED,
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID...) are kept as they are; a server
 * that answers a ClientHello with plain bytes is `wss-to-plaintext-port`; an alert from the server
 * is `tls-alert` with its text (a missing client certificate, a protocol version it refuses).
 */
export function tlsCause(err: NodeJS.ErrnoException, socket: net.Socket | null): string | undefined {
  if (!(socket instanceof tls.TLSSocket)) return undefined;
  const text = err.message ?? '';
  if (/wrong version number|packet length too long|http request/i.test(text)) return 'wss-to-plaintext-port';
  if (/alert/i.test(text) || /^ERR_SSL_.*ALERT/.test(err.code ?? '')) return 'tls-alert';
  return undefined;
}

/**
 * Ends a socket the client gives up on with a reset where it can: a FIN would leave the explicit
 * local address and port in TIME_WAIT for a minute, and every reconnect of that slot to the same
 * server would fail with EADDRNOTAVAIL. A socket still connecting (no SYN answered) or under TLS
 * is destroyed as usual: the first leaves nothing behind, the second cannot be reset by Node.
 */
export function dropSocket(socket: net.Socket): void {
  const handle = (socket as net.Socket & { _handle?: { reset?: unknown } })._handle;
  if (!socket.connecting && !socket.destroyed && !(socket instanceof tls.TLSSocket) && typeof handle?.reset === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
