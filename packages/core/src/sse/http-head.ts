import { HandshakeError } from '../ws/handshake.js';

const HEADER_END = Buffer.from('\r\n\r\n');
/** A response head larger than this is refused. */
const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;

/** A response head: its status, its headers (names lower-case) and its length in bytes. */
export interface ResponseHead {
  status: number;
  headers: Map<string, string>;
  headBytes: number;
}

/**
 * Reads an HTTP/1.x response head from `data[start..]`: null while it has not arrived whole, a
 * HandshakeError for bytes that are not one or a head over MAX_RESPONSE_HEAD_BYTES.
 */
export function readResponseHead(data: Buffer, start = 0): ResponseHead | null {
  const end = data.indexOf(HEADER_END, start);
  if (end < 0) {
    if (data.length - start > MAX_RESPONSE_HEAD_BYTES) throw new HandshakeError(`response head over ${MAX_RESPONSE_HEAD_BYTES} bytes`);
    if (data.length - start >= 5 && data.toString('latin1', start, start + 5) !== 'HTTP/') throw new HandshakeError('the answer is not HTTP');
    return null;
  }
  if (end - start > MAX_RESPONSE_HEAD_BYTES) throw new HandshakeError(`response head over ${MAX_RESPONSE_HEAD_BYTES} bytes`);
  const lines = data.toString('latin1', start, end).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) throw new HandshakeError('the answer is not an HTTP/1.x status line');
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) throw new HandshakeError('malformed response header line');
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return { status: Number(m[1]), headers, headBytes: end + 4 - start };
}

export interface StreamRequest {
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
  /** The id of the last event received, sent as Last-Event-ID to resume from it. */
  lastEventId?: string | null;
}

/** The GET that opens an event stream (HTML's EventSource request: no caching, Accept text/event-stream). */
export function buildStreamRequest(request: StreamRequest): string {
  const host = request.host.includes(':') ? `[${request.host}]` : request.host;
  let s = `GET ${request.path} HTTP/1.1\r\nHost: ${host}:${request.port}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n`;
  if (request.lastEventId) s += `Last-Event-ID: ${request.lastEventId.replace(/[\r\n]/g, '')}\r\n`;
  for (const [k, v] of Object.entries(request.headers ?? {})) s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}

/** An event stream's response, accepted: the head's length and whether the body is chunked. */
export interface StreamResponse {
  headBytes: number;
  chunked: boolean;
}

/**
 * Checks the answer to an event-stream GET: null while the head is incomplete; a HandshakeError
 * naming the refusal for a status other than 200 (`HTTP 404`) or a content type other than
 * text/event-stream (`not an event stream: text/html`).
 */
export function checkStreamResponse(data: Buffer): StreamResponse | null {
  const head = readResponseHead(data);
  if (head === null) return null;
  if (head.status !== 200) throw new HandshakeError(`HTTP ${head.status}`, head.status);
  const type = head.headers.get('content-type') ?? '(none)';
  if (!/^text\/event-stream\s*(;|$)/i.test(type)) throw new HandshakeError(`not an event stream: Content-Type ${type.slice(0, 60)}`);
  const coding = head.headers.get('transfer-encoding')?.toLowerCase() ?? '';
  if (coding !== '' && coding !== 'chunked') throw new HandshakeError(`unsupported Transfer-Encoding ${coding.slice(0, 40)}`);
  return { headBytes: head.headBytes, chunked: coding === 'chunked' };
}
