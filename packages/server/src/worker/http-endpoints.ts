import { bearerMatches } from '@mdbench/core/worker';
import { messageOfPost, parseEventId, sseEventOf } from './sse-events.js';
import type { ReplayWindow } from './replay-window.js';
import type { WorkerStats } from '../worker-config.js';

const HEADER_END = Buffer.from('\r\n\r\n');
/** Largest request head read. */
const MAX_HEAD_BYTES = 8 * 1024;
/** The event stream's head: no caching, and no buffering by a proxy in front (nginx's X-Accel-Buffering). */
const STREAM_HEAD =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n';
const ACCEPTED = 'HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n';

/** A request head: method, path, headers (names lower-case), bytes. */
export interface RequestHead {
  method: string;
  path: string;
  headers: Map<string, string>;
  headBytes: number;
}

/** Reads a request head from `data`: null while incomplete or not HTTP (the upgrade parser then answers it). */
export function readRequestHead(data: Buffer): RequestHead | null {
  const end = data.indexOf(HEADER_END);
  if (end < 0 || end > MAX_HEAD_BYTES) return null;
  const lines = data.toString('latin1', 0, end).split('\r\n');
  const m = /^([A-Z]{1,10}) (\S+) HTTP\/1\.1$/.exec(lines[0]);
  if (!m) return null;
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) return null;
    headers.set(lines[i].slice(0, colon).trim().toLowerCase(), lines[i].slice(colon + 1).trim());
  }
  return { method: m[1], path: m[2], headers, headBytes: end + 4 };
}

/** `/sub//p/s1/-` and `/sub/p/s1/-` name the subject `/p/s1/-`; null for an empty one. */
function subjectOf(rest: string): string | null {
  let s: string;
  try {
    s = decodeURIComponent(rest.split('?')[0]);
  } catch {
    return null;
  }
  s = s.replace(/^\/+/, '');
  return s === '' || s.length > 1024 ? null : `/${s}`;
}

/** The few calls the endpoints make on the server's socket (the Peers object). */
const STATUS_TEXT: Readonly<Record<number, string>> = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Content Too Large' };

/** The response that refuses an HTTP request and ends its connection: the status and a one-line reason. */
export function httpRefusal(status: number, reason: string): string {
  const body = `${reason}\n`;
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

export interface StreamHost<P> {
  /** The peer now holds an event stream on `subject` (its subscriptions are released when it goes). */
  streamOpened(p: P, subject: string): void;
  /** The peer now posts messages: its bytes come to `posts`. */
  postsOpened(p: P): void;
  /** A native MESSAGE frame from the peer, as a WebSocket publisher's would be handled. */
  publish(p: P, message: Buffer): void;
  /** Answers and ends the connection. */
  refuse(p: P, status: number, reason: string): void;
}

type Socket = import('node:net').Socket & { mdbPending: unknown };

/**
 * The HTTP side of a worker: `GET /sub/SUBJECT` opens a Server-Sent Events stream on the subject
 * (resumed from Last-Event-ID while the replay window holds it), `POST /pub/SUBJECT` publishes its
 * body (a payload starting with mdbench's stamp) to the subject, answered 202, any number of them
 * on one keep-alive connection.
 */
export class HttpEndpoints<P extends Socket> {
  private readonly host: StreamHost<P>;
  private readonly replay: ReplayWindow;
  private readonly stats: WorkerStats;
  private readonly token: string | undefined;
  private readonly maxPayload: number;

  constructor(host: StreamHost<P>, replay: ReplayWindow, stats: WorkerStats, token: string | undefined, maxPayload: number) {
    this.host = host;
    this.replay = replay;
    this.stats = stats;
    this.token = token;
    this.maxPayload = maxPayload;
  }

  /** True when the request is one of these endpoints' (not a WebSocket upgrade). */
  handles(head: RequestHead): boolean {
    if (head.headers.has('upgrade')) return false;
    return (head.method === 'GET' && head.path.startsWith('/sub/')) || (head.method === 'POST' && head.path.startsWith('/pub/'));
  }

  /** Starts serving the request whose head is at the start of `data`. */
  start(p: P, head: RequestHead, data: Buffer): void {
    if (this.token && !bearerMatches(head.headers.get('authorization'), this.token)) {
      this.stats.rejected++;
      this.host.refuse(p, 401, 'missing or wrong token');
      return;
    }
    if (head.method === 'POST') {
      this.host.postsOpened(p);
      this.posts(p, data);
      return;
    }
    const subject = subjectOf(head.path.slice(4));
    if (subject === null) {
      this.stats.badUpgrades++;
      this.host.refuse(p, 400, 'no subject in the path');
      return;
    }
    this.replay.active = true;
    p.write(STREAM_HEAD);
    this.host.streamOpened(p, subject);
    const last = head.headers.get('last-event-id');
    const id = last ? parseEventId(last) : null;
    if (id) for (const m of this.replay.after(subject, id.publisherId, id.seq) ?? []) p.write(sseEventOf(m));
  }

  /** Bytes of a posting connection: every whole request in them published and answered; the rest kept. */
  posts(p: P, data: Buffer): void {
    let at = 0;
    while (at < data.length) {
      const rest = at === 0 ? data : data.subarray(at);
      const head = readRequestHead(rest);
      if (head === null) {
        if (rest.length > MAX_HEAD_BYTES + this.maxPayload || (rest.indexOf(HEADER_END) >= 0 && rest.indexOf(HEADER_END) <= MAX_HEAD_BYTES)) {
          this.stats.malformed++;
          this.host.refuse(p, 400, 'malformed request');
          return;
        }
        break;
      }
      const length = Number(head.headers.get('content-length') ?? '0');
      if (head.method !== 'POST' || !head.path.startsWith('/pub/') || !Number.isSafeInteger(length) || length < 0 || length > this.maxPayload) {
        this.stats.malformed++;
        this.host.refuse(p, length > this.maxPayload ? 413 : 400, 'only POST /pub/SUBJECT with a Content-Length body');
        return;
      }
      if (rest.length < head.headBytes + length) break;
      this.publishOne(p, head, rest.subarray(head.headBytes, head.headBytes + length));
      at += head.headBytes + length;
    }
    // An unfinished request is kept as a copy: `data` may be a read buffer reused.
    p.mdbPending = at < data.length ? Buffer.from(data.subarray(at)) : null;
  }

  private publishOne(p: P, head: RequestHead, body: Buffer): void {
    const subject = subjectOf(head.path.slice(4));
    const message = subject === null ? null : messageOfPost(subject, body);
    if (message === null) {
      this.stats.malformed++;
      p.write('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 48\r\n\r\nthe body does not start with an mdbench stamp.\r\n');
      return;
    }
    this.host.publish(p, message);
    p.write(ACCEPTED);
  }
}
