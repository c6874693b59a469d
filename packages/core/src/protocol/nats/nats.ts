import { DEFAULT_KEEPALIVE_S, type Protocol, type ProtocolModule, type ProtocolOptions, type Session } from '../protocol.js';
import { parseNats, type NatsEvents } from './parser.js';
import { keepCarry, withCarry, type Unfinished } from '../carry.js';

const UNFINISHED: Unfinished = { at: 0, unitBytes: 0 };

/** Session phases: waiting for INFO, CONNECT sent (waiting for the PONG that confirms it), established. */
const Phase = { INFO: 0, CONNECTING: 1, READY: 2 } as const;

const PING = Buffer.from('PING\r\n');
const PONG = Buffer.from('PONG\r\n');
const CRLF = 0x0a0d;

/** A -ERR text cut to its cause: the subject a violation names is left out, so causes stay few. */
function errCause(text: string): string {
  const cut = text.search(/ (to|for) ['"]?[^ ]*$/);
  return `-ERR ${(cut > 0 ? text.slice(0, cut) : text).slice(0, 80)}`;
}

/** -ERR texts after which nats-server closes the connection or refuses what was asked. */
const REFUSALS = /authorization|authentication|permissions violation for subscription|user authentication expired|account/i;

/** The queue group responders share their subscriptions in. */
const RESPONDERS = 'mdbench-responders';

/** A subscriber's reply subject prefix: its own inbox, `_INBOX.<client id>` (requests add `.<id>`). */
function inboxOf(s: Session): string {
  return `_INBOX.${s.clientId}`;
}

function digits(n: number): number {
  return n < 10 ? 1 : Math.floor(Math.log10(n)) + 1;
}

/**
 * NATS over WebSocket (nats-server's `websocket` listener): the client waits for INFO, sends
 * CONNECT (verbose and pedantic off, credentials when given), its SUBs with sids 1..n and a PING;
 * the PONG that follows confirms all of them. Server PINGs are answered with PONG. Subjects go as
 * they are (nats-server accepts the article's `/p/s1/-`).
 */
class NatsProtocol implements Protocol, NatsEvents {
  readonly name = 'nats';
  readonly keepaliveMs: number;
  readonly keepaliveAnswered = true;
  readonly respond = true;
  private readonly connect: string;
  /** Subscribers make requests: each subscribes to its own inbox, `_INBOX.<client id>.*`, after its topics. */
  private readonly requests: boolean;
  private cur: Session | null = null;

  constructor(o: ProtocolOptions) {
    this.keepaliveMs = (o.keepaliveS ?? DEFAULT_KEEPALIVE_S) * 1000;
    this.requests = o.requests === true;
    const c: Record<string, unknown> = { verbose: false, pedantic: false, lang: 'mdbench', version: '1', protocol: 1, headers: true, no_responders: false };
    if (o.user !== undefined) c.user = o.user;
    if (o.password !== undefined) c.pass = o.password;
    if (o.token !== undefined) c.auth_token = o.token;
    this.connect = JSON.stringify(c);
  }

  open(s: Session): void {
    s.phase = Phase.INFO;
  }

  receive(s: Session, data: Buffer): void {
    const buf = withCarry(s, data);
    if (buf === null) return;
    this.cur = s;
    const rest = parseNats(buf, this, UNFINISHED);
    this.cur = null;
    // The tail of an operation split across WebSocket messages waits for the next one.
    if (rest >= 0) keepCarry(s, buf, UNFINISHED);
  }

  info(): void {
    const s = this.cur as Session;
    if (s.phase !== Phase.INFO) return;
    let text = `CONNECT ${this.connect.slice(0, -1)},"name":${JSON.stringify(s.clientId)}}\r\n`;
    const topics = s.topics;
    // Responders share their topics in one queue group: each request reaches one of them.
    const group = s.role === 'responder' ? ` ${RESPONDERS}` : '';
    for (let i = 0; i < topics.length; i++) text += `SUB ${topics[i]}${group} ${i + 1}\r\n`;
    if (this.requests && s.role === 'subscriber') text += `SUB ${inboxOf(s)}.* ${topics.length + 1}\r\n`;
    s.send(Buffer.from(`${text}PING\r\n`));
    s.phase = Phase.CONNECTING;
  }

  msg(subject: string, sid: number, payload: Buffer, replyTo: string | null): void {
    const s = this.cur as Session;
    if (s.role === 'responder') {
      if (replyTo !== null) s.request(replyTo, payload);
      return;
    }
    if (this.requests && sid === s.topics.length + 1) {
      const id = Number(subject.slice(subject.lastIndexOf('.') + 1));
      if (Number.isInteger(id) && id > 0) s.answered(id);
      else s.malformed(`a reply on ${subject.slice(0, 80)} without a request id`);
      return;
    }
    s.message(subject, payload);
  }

  ping(): void {
    (this.cur as Session).reply(PONG);
  }

  pong(): void {
    const s = this.cur as Session;
    if (s.phase !== Phase.CONNECTING) return;
    s.phase = Phase.READY;
    s.connected();
    if (s.role === 'subscriber') s.subscribed();
  }

  ok(): void {}

  err(text: string): void {
    const s = this.cur as Session;
    if (REFUSALS.test(text)) s.refuse(errCause(text), text);
    else s.error(errCause(text), text);
  }

  bad(detail: string): void {
    const s = this.cur as Session;
    s.malformed(detail);
    s.drop('protocol', detail);
  }

  keepalive(s: Session): void {
    if (s.phase === Phase.READY) s.send(PING);
  }

  requestBytes(s: Session, topic: string, payloadBytes: number): number {
    // PUB <subject> <inbox>.<id> <#bytes>\r\n<payload>\r\n, room for the widest id
    return this.publishBytes(topic, payloadBytes) + Buffer.byteLength(inboxOf(s)) + 12;
  }

  writeRequest(out: Buffer, at: number, s: Session, topic: string, id: number, payload: Buffer): number {
    return this.writePub(out, at, topic, `${inboxOf(s)}.${id}`, payload);
  }

  publishBytes(topic: string, payloadBytes: number): number {
    // PUB <subject> <#bytes>\r\n<payload>\r\n
    return 4 + Buffer.byteLength(topic) + 1 + digits(payloadBytes) + 2 + payloadBytes + 2;
  }

  writePublish(out: Buffer, at: number, _s: Session, topic: string, payload: Buffer): number {
    return this.writePub(out, at, topic, null, payload);
  }

  /** `PUB <subject> [reply-to] <#bytes>\r\n<payload>\r\n` at `at`; returns the offset after it. */
  private writePub(out: Buffer, at: number, topic: string, replyTo: string | null, payload: Buffer): number {
    let p = at + out.write('PUB ', at, 'latin1');
    p += out.write(topic, p, 'utf8');
    out[p++] = 0x20;
    if (replyTo !== null) {
      p += out.write(replyTo, p, 'utf8');
      out[p++] = 0x20;
    }
    p += out.write(String(payload.length), p, 'latin1');
    out.writeUInt16LE(CRLF, p);
    p += 2 + payload.copy(out, p + 2);
    out.writeUInt16LE(CRLF, p);
    return p + 2;
  }
}

export const nats: ProtocolModule = { create: (o) => new NatsProtocol(o) };
