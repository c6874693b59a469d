import { DEFAULT_KEEPALIVE_S, type Protocol, type ProtocolModule, type ProtocolOptions, type Session } from '../protocol.js';
import { escapeHeader, parseStomp, type StompFrame } from './parser.js';
import { keepCarry, withCarry, type Unfinished } from '../carry.js';

const UNFINISHED: Unfinished = { at: 0, unitBytes: 0 };

/** Session phases: CONNECT sent, SUBSCRIBEs sent (waiting for the receipt of the last), established. */
const Phase = { CONNECTING: 1, SUBSCRIBING: 2, READY: 3 } as const;

const HEART_BEAT = Buffer.from('\n');
/** A requester's replies come back to its own temporary queue (RabbitMQ makes one per connection for a reply-to of this form). */
const REPLY_TO = '/temp-queue/mdbench';
/** The queue responders share (RabbitMQ's x-queue-name on a topic subscription): each request reaches one of them. */
const RESPONDERS = 'mdbench-responders';
/** A responder's reply address: the request's reply-to and its correlation-id, joined by U+0000 (no destination holds one). */
const REPLY_SEPARATOR = '\u0000';
const GOODBYE = Buffer.from('DISCONNECT\nreceipt:goodbye\n\n\0');

/** The default destination for a subject: RabbitMQ's topic exchange, slashes turned into dots (`/p/s1/-` -> `/topic/p.s1.-`). */
const DEFAULT_DESTINATION = '/topic/{dotted}';

/**
 * A subject as a destination: `{subject}` is the subject as it is, `{dotted}` without its leading
 * slash and with the other slashes as dots (RabbitMQ routing keys may not hold a slash).
 */
export function destinationOf(template: string, subject: string): string {
  const dotted = subject.replace(/^\/+/, '').replace(/\//g, '.');
  return template.replace(/\{subject\}/g, subject).replace(/\{dotted\}/g, dotted);
}

/**
 * STOMP 1.2 over WebSocket (RabbitMQ web-stomp, ActiveMQ): CONNECT with login, passcode and
 * heart-beats, CONNECTED; one SUBSCRIBE per topic (ids 1..n, ack auto), the last with a receipt
 * whose RECEIPT confirms them all; SEND with content-length, so payloads are binary-safe; MESSAGE;
 * ERROR frames counted by their message header. A heart-beat (one LF) goes out every keepalive
 * from mdbench's timer wheel. A publisher ends with DISCONNECT and a receipt, after which the server closes.
 */
class StompProtocol implements Protocol {
  readonly name = 'stomp';
  readonly subprotocol = 'v12.stomp';
  readonly keepaliveMs: number;
  /** Requests: a SEND with reply-to (a temporary queue) and the id as correlation-id; a responder SENDs the payload back to the reply-to with it. */
  readonly respond = true;
  private readonly options: ProtocolOptions;
  private readonly template: string;
  private cur: Session | null = null;
  private readonly onFrame = (f: StompFrame) => this.frame(this.cur as Session, f);
  private readonly onBad = (detail: string) => {
    this.cur?.malformed(detail);
    this.cur?.drop('protocol', detail);
  };

  constructor(o: ProtocolOptions) {
    this.options = o;
    this.keepaliveMs = (o.keepaliveS ?? DEFAULT_KEEPALIVE_S) * 1000;
    this.template = o.destination ?? DEFAULT_DESTINATION;
  }

  topic(subject: string): string {
    return destinationOf(this.template, subject);
  }

  open(s: Session): void {
    s.phase = Phase.CONNECTING;
    const o = this.options;
    let f = `CONNECT\naccept-version:1.2\nhost:/\nheart-beat:${this.keepaliveMs},${this.keepaliveMs}\n`;
    if (o.user !== undefined) f += `login:${o.user}\n`;
    if (o.password !== undefined) f += `passcode:${o.password}\n`;
    else if (o.token !== undefined) f += `passcode:${o.token}\n`;
    s.send(Buffer.from(`${f}\n\0`));
  }

  receive(s: Session, data: Buffer): void {
    const buf = withCarry(s, data);
    if (buf === null) return;
    this.cur = s;
    const rest = parseStomp(buf, this.onFrame, this.onBad, UNFINISHED);
    this.cur = null;
    if (rest >= 0) keepCarry(s, buf, UNFINISHED);
  }

  private frame(s: Session, f: StompFrame): void {
    switch (f.command) {
      case 'MESSAGE':
        if (f.destination === null) return s.malformed('STOMP MESSAGE without a destination');
        if (s.role === 'responder') {
          if (f.replyTo !== null) s.request(f.replyTo + REPLY_SEPARATOR + (f.correlationId ?? ''), f.body);
          return;
        }
        // A reply: to this connection's reply-to (RabbitMQ delivers it from its temporary queue), matched by its correlation-id.
        if (this.options.requests && f.correlationId !== null && !s.topics.includes(f.destination)) {
          const id = Number(f.correlationId);
          if (Number.isInteger(id) && id > 0) s.answered(id);
          else s.malformed(`a STOMP reply whose correlation-id ${f.correlationId.slice(0, 20)} is no request id`);
          return;
        }
        s.message(f.destination, f.body);
        return;
      case 'CONNECTED':
        s.connected();
        if (s.role === 'publisher') {
          s.phase = Phase.READY;
          return;
        }
        s.phase = Phase.SUBSCRIBING;
        s.send(
          Buffer.from(
            s.topics
              .map(
                (t, i) =>
                  `SUBSCRIBE\nid:${i + 1}\ndestination:${escapeHeader(t)}\nack:auto\n${s.role === 'responder' ? `x-queue-name:${RESPONDERS}.${escapeHeader(t).replace(/[^\w.-]/g, '_')}\n` : ''}${i === s.topics.length - 1 ? 'receipt:subscribed\n' : ''}\n\0`,
              )
              .join(''),
          ),
        );
        return;
      case 'RECEIPT':
        if (s.phase === Phase.SUBSCRIBING && f.receiptId === 'subscribed') {
          s.phase = Phase.READY;
          s.subscribed();
        }
        return;
      case 'ERROR': {
        // The server closes the connection after an ERROR frame.
        const detail = `${f.message ?? ''}${f.body.length ? `: ${f.body.toString('utf8', 0, Math.min(f.body.length, 200)).trim()}` : ''}`;
        s.refuse(`ERROR ${(f.message ?? 'without message').slice(0, 80)}`, detail);
        return;
      }
      default:
        s.malformed(`unexpected STOMP ${f.command.slice(0, 20)} frame`);
    }
  }

  keepalive(s: Session): void {
    if (s.phase >= Phase.SUBSCRIBING) s.send(HEART_BEAT);
  }

  /** STOMP 1.2: a client must not close before the receipt of its DISCONNECT, or the server may drop frames it has not handled yet. */
  goodbye(s: Session): void {
    if (s.phase === Phase.READY) s.send(GOODBYE);
  }

  publishBytes(topic: string, payloadBytes: number): number {
    return Buffer.byteLength(sendHead(topic, payloadBytes)) + payloadBytes + 1;
  }

  writePublish(out: Buffer, at: number, _s: Session, topic: string, payload: Buffer): number {
    return writeSend(out, at, sendHead(topic, payload.length), payload);
  }

  requestBytes(_s: Session, topic: string, payloadBytes: number): number {
    // Room for the widest id (u32).
    return Buffer.byteLength(sendHead(topic, payloadBytes, `reply-to:${REPLY_TO}\ncorrelation-id:4294967295\n`)) + payloadBytes + 1;
  }

  writeRequest(out: Buffer, at: number, _s: Session, topic: string, id: number, payload: Buffer): number {
    return writeSend(out, at, sendHead(topic, payload.length, `reply-to:${REPLY_TO}\ncorrelation-id:${id}\n`), payload);
  }
}

/** A SEND's head: `SEND`, the destination (a reply address: its reply-to and correlation-id), `extra` headers, content-length. */
function sendHead(topic: string, payloadBytes: number, extra = ''): string {
  const sep = topic.indexOf(REPLY_SEPARATOR);
  const destination = sep < 0 ? topic : topic.slice(0, sep);
  const correlation = sep < 0 ? '' : `correlation-id:${escapeHeader(topic.slice(sep + 1))}\n`;
  return `SEND\ndestination:${escapeHeader(destination)}\n${correlation}${extra}content-length:${payloadBytes}\n\n`;
}

function writeSend(out: Buffer, at: number, head: string, payload: Buffer): number {
  let p = at + out.write(head, at, 'utf8');
  p += payload.copy(out, p);
  out[p] = 0;
  return p + 1;
}

export const stomp: ProtocolModule = { create: (o) => new StompProtocol(o) };
