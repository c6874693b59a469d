import { createHash } from 'node:crypto';
import { fillRandom } from './random-pool.js';
import { ProtocolError } from '../errors.js';
import { acceptDeflateResponse, deflateOfferHeader, type DeflateOffer, type DeflateParams } from './deflate.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HEADER_END = Buffer.from('\r\n\r\n');
/** A handshake response larger than this is refused. */
const MAX_HANDSHAKE_BYTES = 16 * 1024;

/** A fresh Sec-WebSocket-Key: 16 random bytes, base64. */
export function newKey(): string {
  const b = Buffer.allocUnsafe(16);
  fillRandom(b, 0, 16);
  return b.toString('base64');
}

/** The Sec-WebSocket-Accept a server must answer to `key` (RFC 6455 section 4.2.2). */
export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

export interface UpgradeRequest {
  host: string;
  port: number;
  path: string;
  key: string;
  subprotocol?: string;
  /** Extra request headers, e.g. an authorization token. */
  headers?: Record<string, string>;
  /** permessage-deflate offered. */
  deflate?: DeflateOffer;
}

export function buildUpgradeRequest(request: UpgradeRequest): string {
  const host = request.host.includes(':') ? `[${request.host}]` : request.host;
  let s =
    `GET ${request.path} HTTP/1.1\r\nHost: ${host}:${request.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${request.key}\r\nSec-WebSocket-Version: 13\r\n`;
  if (request.subprotocol) s += `Sec-WebSocket-Protocol: ${request.subprotocol}\r\n`;
  if (request.deflate) s += `Sec-WebSocket-Extensions: ${deflateOfferHeader(request.deflate)}\r\n`;
  for (const [k, v] of Object.entries(request.headers ?? {})) s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}

/** An upgrade the server refused or answered wrongly. */
export class HandshakeError extends ProtocolError {
  /** HTTP status, when the server answered with one. */
  readonly status?: number;
  constructor(message: string, status?: number) {
    super('MDB_WS_HANDSHAKE', message);
    this.name = 'HandshakeError';
    this.status = status;
  }
}

/** A server's valid upgrade response: its length (frames may follow in the same chunk) and the compression agreed. */
export interface UpgradeResponse {
  headerBytes: number;
  deflate: DeflateParams | null;
}

/**
 * Checks a server's upgrade response held in `data`: null while the header is not complete yet.
 * Throws HandshakeError when the server refused or answered wrongly (an extension or subprotocol
 * not offered included).
 */
export function checkUpgradeResponse(data: Buffer, key: string, subprotocol?: string, deflate?: DeflateOffer): UpgradeResponse | null {
  const end = data.indexOf(HEADER_END);
  if (end < 0) {
    if (data.length > MAX_HANDSHAKE_BYTES) throw new HandshakeError(`handshake response larger than ${MAX_HANDSHAKE_BYTES} bytes`);
    return null;
  }
  const lines = data.toString('latin1', 0, end).split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0]);
  if (!status) throw new HandshakeError(`not an HTTP/1.1 response: "${lines[0].slice(0, 60)}"`);
  const code = Number(status[1]);
  if (code !== 101) throw new HandshakeError(`server answered "${lines[0].slice(9, 80)}" instead of 101`, code);
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon > 0) headers.set(lines[i].slice(0, colon).trim().toLowerCase(), lines[i].slice(colon + 1).trim());
  }
  if (headers.get('upgrade')?.toLowerCase() !== 'websocket') throw new HandshakeError('response lacks "Upgrade: websocket"');
  if (
    !headers
      .get('connection')
      ?.toLowerCase()
      .split(/\s*,\s*/)
      .includes('upgrade')
  ) {
    throw new HandshakeError('response lacks "Connection: Upgrade"');
  }
  if (headers.get('sec-websocket-accept') !== acceptFor(key)) throw new HandshakeError('wrong Sec-WebSocket-Accept');
  const proto = headers.get('sec-websocket-protocol');
  if (proto !== undefined && proto !== subprotocol) throw new HandshakeError(`server chose subprotocol "${proto}" that was not asked for`);
  const extensions = headers.get('sec-websocket-extensions');
  if (extensions !== undefined && !deflate) throw new HandshakeError('server chose an extension that was not asked for');
  let params: DeflateParams | null = null;
  if (deflate) {
    try {
      params = acceptDeflateResponse(extensions, deflate);
    } catch (err) {
      throw new HandshakeError((err as Error).message);
    }
  }
  return { headerBytes: end + HEADER_END.length, deflate: params };
}
