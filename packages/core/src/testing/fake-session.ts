import type { Carry } from '../protocol/carry.js';
import type { Role, Session } from '../protocol/protocol.js';
import type { Stamp } from '../protocol/stamp.js';

/** One thing a protocol reported through its session. */
export type SessionEvent =
  | { kind: 'connected' }
  | { kind: 'subscribed' }
  | { kind: 'message'; topic: string; payload: Buffer }
  | { kind: 'stamped'; topic: string; stamp: Stamp; bytes: number }
  | { kind: 'acked' }
  | { kind: 'answered'; id: number }
  | { kind: 'request'; replyTo: string; payload: Buffer }
  | { kind: 'refuse' | 'error' | 'drop'; cause: string; detail: string }
  | { kind: 'malformed'; detail: string };

/** A session that records what a protocol sends and reports, for protocol tests without sockets. */
export class FakeSession implements Session {
  phase = 0;
  carry: Buffer | Carry | null = null;
  data: unknown = undefined;
  readonly sent: Buffer[] = [];
  readonly events: SessionEvent[] = [];
  constructor(
    readonly role: Role,
    readonly topics: readonly string[] = [],
    readonly index = 7,
    readonly clientId = 'test-1-0-7',
  ) {}
  send(data: Uint8Array | string): void {
    this.sent.push(Buffer.from(typeof data === 'string' ? Buffer.from(data) : data));
  }
  reply(data: Uint8Array | string): void {
    this.send(data);
  }
  connected(): void {
    this.events.push({ kind: 'connected' });
  }
  subscribed(): void {
    this.events.push({ kind: 'subscribed' });
  }
  message(topic: string, payload: Buffer): void {
    this.events.push({ kind: 'message', topic, payload: Buffer.from(payload) });
  }
  stamped(topic: string, stamp: Stamp, bytes: number): void {
    this.events.push({ kind: 'stamped', topic, stamp: { ...stamp }, bytes });
  }
  acked(): void {
    this.events.push({ kind: 'acked' });
  }
  answered(id: number): void {
    this.events.push({ kind: 'answered', id });
  }
  request(replyTo: string, payload: Buffer): void {
    this.events.push({ kind: 'request', replyTo, payload: Buffer.from(payload) });
  }
  refuse(cause: string, detail = ''): void {
    this.events.push({ kind: 'refuse', cause, detail });
  }
  error(cause: string, detail = ''): void {
    this.events.push({ kind: 'error', cause, detail });
  }
  malformed(detail: string): void {
    this.events.push({ kind: 'malformed', detail });
  }
  drop(cause: string, detail = ''): void {
    this.events.push({ kind: 'drop', cause, detail });
  }
  /** The payloads of the messages received, as text. */
  messages(): string[] {
    return this.events.filter((e) => e.kind === 'message').map((e) => (e as { payload: Buffer }).payload.toString('latin1'));
  }
  kinds(): string[] {
    return this.events.map((e) => e.kind);
  }
}

/** Cuts `data` at the given offsets (sorted, within range) into consecutive chunks. */
export function splitAt(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(data.length, c))))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    if (p > at) out.push(data.subarray(at, p));
    at = Math.max(at, p);
  }
  if (at < data.length) out.push(data.subarray(at));
  return out;
}
