/**
 * NATS client-side protocol parser over bytes (https://docs.nats.io/reference/reference-protocols/nats-protocol):
 * reads whole operations from a stream that WebSocket messages split anywhere, several operations
 * per message or one operation over several, and keeps only the unfinished tail.
 */

/** What a parsed operation means; `payload` and `headers` views are valid only during the call. */
export interface NatsEvents {
  info(json: string): void;
  /** A message; `replyTo` when it carries a reply subject (a request), else null. */
  msg(subject: string, sid: number, payload: Buffer, replyTo: string | null): void;
  ping(): void;
  pong(): void;
  ok(): void;
  err(text: string): void;
  /** Bytes that are not NATS protocol. */
  bad(detail: string): void;
}

import { MAX_UNIT_BYTES, type Unfinished } from '../carry.js';

/** Longest control line accepted (NATS' own limit is 4 KiB by default). */
const MAX_CONTROL_LINE = 4096;

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const TAB = 0x09;

/** Offsets of the space-separated fields of buf[from..to). */
function fields(buf: Buffer, from: number, to: number, out: number[]): number {
  let n = 0;
  let i = from;
  while (i < to && n < out.length) {
    while (i < to && (buf[i] === SP || buf[i] === TAB)) i++;
    if (i >= to) break;
    const start = i;
    while (i < to && buf[i] !== SP && buf[i] !== TAB) i++;
    out[n++] = start;
    out[n++] = i;
  }
  return n >> 1;
}

/** A non-negative decimal in buf[from..to), or -1. */
function decimal(buf: Buffer, from: number, to: number): number {
  if (from >= to || to - from > 15) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The operation name at buf[from..to) is `op` (upper case), letters compared without case. */
function isOp(buf: Buffer, from: number, to: number, op: string): boolean {
  if (to - from !== op.length) return false;
  for (let i = 0; i < op.length; i++) {
    const c = buf[from + i];
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== op.charCodeAt(i)) return false;
  }
  return true;
}

const F = new Array<number>(12);

/**
 * Parses every whole operation in `buf` and reports it to `ev`; returns the offset where an
 * unfinished operation starts (buf.length when none is left), or -1 after `ev.bad`. `u`, when
 * given, receives where the unfinished operation starts and how many bytes it takes in all when
 * that is known (a MSG whose payload has not arrived whole). A MSG declaring more than
 * MAX_UNIT_BYTES is refused from its control line, before its payload arrives.
 */
export function parseNats(buf: Buffer, ev: NatsEvents, u: Unfinished = { at: 0, unitBytes: 0 }): number {
  u.unitBytes = 0;
  let at = 0;
  while (at < buf.length) {
    // Between operations: tolerate stray line ends.
    if (buf[at] === CR || buf[at] === LF) {
      at++;
      continue;
    }
    const lf = buf.indexOf(LF, at);
    if (lf < 0) {
      if (buf.length - at > MAX_CONTROL_LINE) {
        ev.bad(`control line longer than ${MAX_CONTROL_LINE} bytes`);
        return -1;
      }
      return (u.at = at);
    }
    const end = lf > at && buf[lf - 1] === CR ? lf - 1 : lf;
    const n = fields(buf, at, end, F);
    if (n === 0) {
      at = lf + 1;
      continue;
    }
    const op0 = F[0];
    const op1 = F[1];
    if (isOp(buf, op0, op1, 'MSG') || isOp(buf, op0, op1, 'HMSG')) {
      const headers = buf[op0] === 0x48 || buf[op0] === 0x68;
      // MSG <subject> <sid> [reply-to] <#bytes>; HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>
      const want = headers ? [5, 6] : [4, 5];
      if (n !== want[0] && n !== want[1]) {
        ev.bad(`${headers ? 'HMSG' : 'MSG'} line with ${n - 1} arguments`);
        return -1;
      }
      const total = decimal(buf, F[2 * n - 2], F[2 * n - 1]);
      const hdr = headers ? decimal(buf, F[2 * n - 4], F[2 * n - 3]) : 0;
      const sid = decimal(buf, F[4], F[5]);
      if (total < 0 || hdr < 0 || hdr > total || sid < 0) {
        ev.bad(`${headers ? 'HMSG' : 'MSG'} line with a bad size or sid`);
        return -1;
      }
      if (total > MAX_UNIT_BYTES) {
        ev.bad(`${headers ? 'HMSG' : 'MSG'} of ${total} bytes, over the ${MAX_UNIT_BYTES}-byte limit`);
        return -1;
      }
      const start = lf + 1;
      if (buf.length < start + total + 2) {
        u.unitBytes = start + total + 2 - at;
        return (u.at = at);
      }
      if (buf[start + total] !== CR || buf[start + total + 1] !== LF) {
        ev.bad('message payload not followed by CRLF');
        return -1;
      }
      // The reply-to field is there when the line has its longer form.
      const replyTo = n === want[1] ? buf.toString('utf8', F[6], F[7]) : null;
      ev.msg(buf.toString('utf8', F[2], F[3]), sid, buf.subarray(start + hdr, start + total), replyTo);
      at = start + total + 2;
      continue;
    }
    if (isOp(buf, op0, op1, 'PING')) ev.ping();
    else if (isOp(buf, op0, op1, 'PONG')) ev.pong();
    else if (isOp(buf, op0, op1, '+OK')) ev.ok();
    else if (isOp(buf, op0, op1, '-ERR')) ev.err(buf.toString('utf8', op1, end).trim().replace(/^'|'$/g, ''));
    else if (isOp(buf, op0, op1, 'INFO')) ev.info(buf.toString('utf8', op1, end).trim());
    else {
      ev.bad(`unknown operation "${buf.toString('latin1', op0, Math.min(op1, op0 + 16))}"`);
      return -1;
    }
    at = lf + 1;
  }
  return (u.at = at);
}
