/**
 * STOMP 1.2 frames as a client reads them (https://stomp.github.io/stomp-specification-1.2.html):
 * `COMMAND EOL *(header EOL) EOL body NUL *(EOL)`, EOL being LF or CR LF, a lone EOL between frames
 * being a heart-beat. Reads whole frames from a stream that WebSocket messages split anywhere, and
 * keeps only the unfinished tail. Of the headers it decodes only those a client acts on.
 */

export interface StompFrame {
  command: string;
  /** `destination` (MESSAGE), unescaped. */
  destination: string | null;
  /** `receipt-id` (RECEIPT). */
  receiptId: string | null;
  /** `message` (ERROR). */
  message: string | null;
  /** `reply-to` and `correlation-id` (MESSAGE: a request a responder answers, and the id its reply carries back). */
  replyTo: string | null;
  correlationId: string | null;
  /** The body: a view valid only during the callback. */
  body: Buffer;
}

/** Longest header block accepted. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Largest body accepted. */
const MAX_BODY_BYTES = MAX_UNIT_BYTES;

import { MAX_UNIT_BYTES, type Unfinished } from '../carry.js';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/** Decodes a STOMP 1.2 header value: `\r`, `\n`, `\c` and `\\` escapes. */
function unescapeHeader(v: string): string {
  if (!v.includes('\\')) return v;
  return v.replace(/\\([rnc\\])/g, (_, c: string) => (c === 'r' ? '\r' : c === 'n' ? '\n' : c === 'c' ? ':' : '\\'));
}

/** Encodes a header value for any frame but CONNECT/CONNECTED. */
export function escapeHeader(value: string): string {
  return value.replace(/[\\\r\n:]/g, (c) => (c === '\\' ? '\\\\' : c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\c'));
}

function keyIs(buf: Buffer, from: number, to: number, key: string): boolean {
  if (to - from !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[from + i] !== key.charCodeAt(i)) return false;
  return true;
}

const frame: StompFrame = { command: '', destination: null, receiptId: null, message: null, replyTo: null, correlationId: null, body: Buffer.alloc(0) };

/**
 * Parses every whole frame in `buf`, calling `onFrame` for each (the frame object is reused);
 * returns where an unfinished frame starts (buf.length when none), or -1 after `onBad`. `u`, when
 * given, receives that start and the frame's whole size when its content-length says it.
 */
export function parseStomp(buf: Buffer, onFrame: (f: StompFrame) => void, onBad: (detail: string) => void, u: Unfinished = { at: 0, unitBytes: 0 }): number {
  u.unitBytes = 0;
  let at = 0;
  for (;;) {
    while (at < buf.length && (buf[at] === LF || buf[at] === CR)) at++; // heart-beats
    if (at >= buf.length) return (u.at = at);
    const start = at;
    u.at = start;
    let lineEnd = buf.indexOf(LF, at);
    if (lineEnd < 0) return tooLong(buf, start, onBad);
    frame.command = buf.toString('latin1', at, lineEnd > at && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd);
    frame.destination = frame.receiptId = frame.message = frame.replyTo = frame.correlationId = null;
    let length = -1;
    at = lineEnd + 1;
    // Headers, up to the empty line.
    for (;;) {
      lineEnd = buf.indexOf(LF, at);
      if (lineEnd < 0) return tooLong(buf, start, onBad);
      const end = lineEnd > at && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
      if (end === at) {
        at = lineEnd + 1;
        break;
      }
      const colon = buf.indexOf(COLON, at);
      if (colon < 0 || colon > end) {
        onBad(`STOMP header line without a colon in ${frame.command}`);
        return -1;
      }
      if (keyIs(buf, at, colon, 'content-length')) {
        if (length < 0) {
          length = Number(buf.toString('latin1', colon + 1, end));
          if (!Number.isInteger(length) || length < 0) {
            onBad(`STOMP content-length "${buf.toString('latin1', colon + 1, end)}"`);
            return -1;
          }
        }
      } else if (keyIs(buf, at, colon, 'destination')) frame.destination ??= unescapeHeader(buf.toString('utf8', colon + 1, end));
      else if (keyIs(buf, at, colon, 'receipt-id')) frame.receiptId ??= unescapeHeader(buf.toString('utf8', colon + 1, end));
      else if (keyIs(buf, at, colon, 'message')) frame.message ??= unescapeHeader(buf.toString('utf8', colon + 1, end));
      else if (keyIs(buf, at, colon, 'reply-to')) frame.replyTo ??= unescapeHeader(buf.toString('utf8', colon + 1, end));
      else if (keyIs(buf, at, colon, 'correlation-id')) frame.correlationId ??= unescapeHeader(buf.toString('utf8', colon + 1, end));
      at = lineEnd + 1;
    }
    // Body: content-length bytes then NUL, or up to the first NUL.
    let bodyEnd: number;
    if (length > MAX_BODY_BYTES) {
      onBad(`STOMP content-length ${length} over ${MAX_BODY_BYTES}`);
      return -1;
    }
    if (length >= 0) {
      if (buf.length < at + length + 1) {
        u.unitBytes = at + length + 1 - start;
        return start;
      }
      bodyEnd = at + length;
      if (buf[bodyEnd] !== 0) {
        onBad('STOMP body not followed by NUL');
        return -1;
      }
    } else {
      bodyEnd = buf.indexOf(0, at);
      if (bodyEnd < 0) {
        if (buf.length - at <= MAX_BODY_BYTES) return start;
        onBad(`STOMP body without NUL over ${MAX_BODY_BYTES} bytes`);
        return -1;
      }
    }
    frame.body = buf.subarray(at, bodyEnd);
    onFrame(frame);
    at = bodyEnd + 1;
  }
}

function tooLong(buf: Buffer, start: number, onBad: (d: string) => void): number {
  if (buf.length - start > MAX_HEADER_BYTES) {
    onBad(`STOMP frame header longer than ${MAX_HEADER_BYTES} bytes`);
    return -1;
  }
  return start;
}
