import { bearerMatches } from './bearer.js';
import { acceptFor } from './handshake.js';
import { negotiateDeflate, type DeflateParams } from './deflate.js';

/** Largest upgrade request a server reads before refusing it. */
const MAX_UPGRADE_BYTES = 8 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n');
const KEY = /^[A-Za-z0-9+/]{22}==$/;

/** A request that is a valid WebSocket upgrade. */
export interface UpgradeAccepted {
  ok: true;
  /** Bytes of the request head; anything after them is the first frames. */
  headBytes: number;
  path: string;
  /** The subprotocol chosen from those offered, if any. */
  subprotocol?: string;
  /** permessage-deflate as agreed (the server allows it and the client offered it), or null. */
  deflate: DeflateParams | null;
  /** The whole 101 response. */
  response: string;
}

/** A request refused: the HTTP status, why, and the whole response to send before closing (none for bytes that are not HTTP at all: those are dropped). */
export interface UpgradeRefused {
  ok: false;
  status: 400 | 401 | 426 | 431;
  reason: string;
  response: string | null;
}

export interface UpgradePolicy {
  /** Subprotocols the server speaks, in order of preference. */
  subprotocols: readonly string[];
  /** The Bearer token a client must send, if any. */
  token?: string;
  /** Accept permessage-deflate offers. */
  deflate?: boolean;
}

function refuse(status: UpgradeRefused['status'], reason: string, extra = ''): UpgradeRefused {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 426: 'Upgrade Required', 431: 'Request Header Fields Too Large' }[status];
  const body = `${reason}\n`;
  return {
    ok: false,
    status,
    reason,
    response: `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  };
}

/**
 * Reads an HTTP/1.1 upgrade request from `data` (RFC 6455 section 4.2): null while the head has
 * not arrived whole, else the 101 response to send or the refusal (400 malformed, 401 wrong token,
 * 426 not a WebSocket upgrade or another version, 431 head too large).
 */
export function parseUpgradeRequest(data: Buffer, policy: UpgradePolicy): UpgradeAccepted | UpgradeRefused | null {
  const end = data.indexOf(HEADER_END);
  if (end < 0) {
    if (data.length > MAX_UPGRADE_BYTES) return refuse(431, `request head over ${MAX_UPGRADE_BYTES} bytes`);
    // Bytes that cannot begin an HTTP request line are dropped at once, not waited on.
    return /^[A-Z]{0,10}( |$)/.test(data.toString('latin1', 0, Math.min(data.length, 11)))
      ? null
      : { ...refuse(400, 'not an HTTP/1.x request'), response: null };
  }
  if (end > MAX_UPGRADE_BYTES) return refuse(431, `request head over ${MAX_UPGRADE_BYTES} bytes`);
  const lines = data.toString('latin1', 0, end).split('\r\n');
  const m = /^(\S+) (\S+) HTTP\/1\.(\d)$/.exec(lines[0]);
  if (!m) return { ...refuse(400, 'not an HTTP/1.x request line'), response: null };
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) return refuse(400, 'malformed header line');
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  if (m[1] !== 'GET' || m[3] !== '1') return refuse(400, 'a WebSocket upgrade is a GET over HTTP/1.1');
  const upgrade = headers.get('upgrade')?.toLowerCase();
  const connection =
    headers
      .get('connection')
      ?.toLowerCase()
      .split(/\s*,\s*/) ?? [];
  if (upgrade !== 'websocket' || !connection.includes('upgrade')) return refuse(426, 'this server speaks WebSocket only', 'Upgrade: websocket\r\n');
  const version = headers.get('sec-websocket-version');
  if (version !== '13') return refuse(426, `unsupported WebSocket version ${version ?? '(none)'}`, 'Sec-WebSocket-Version: 13\r\n');
  const key = headers.get('sec-websocket-key');
  if (!key || !KEY.test(key)) return refuse(400, 'missing or malformed Sec-WebSocket-Key');
  if (policy.token && !bearerMatches(headers.get('authorization'), policy.token)) return refuse(401, 'missing or wrong token');
  const offered =
    headers
      .get('sec-websocket-protocol')
      ?.split(/\s*,\s*/)
      .filter(Boolean) ?? [];
  const subprotocol = policy.subprotocols.find((p) => offered.includes(p));
  const deflate = policy.deflate ? negotiateDeflate(headers.get('sec-websocket-extensions')) : null;
  const response =
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n${subprotocol ? `Sec-WebSocket-Protocol: ${subprotocol}\r\n` : ''}` +
    `${deflate ? `Sec-WebSocket-Extensions: ${deflate.response}\r\n` : ''}\r\n`;
  return { ok: true, headBytes: end + 4, path: m[2], subprotocol, deflate: deflate?.params ?? null, response };
}
