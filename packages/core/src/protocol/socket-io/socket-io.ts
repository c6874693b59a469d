import { ProtocolOptionError, type Protocol, type ProtocolModule, type ProtocolOptions, type Session } from '../protocol.js';
import { Engine, SOCKET_IO_DEFAULTS, Sio, binaryEventText, connectPacket, decodePacket, enginePath, eventPacket, type SioPacket } from './codec.js';

/** Session phases: waiting for Engine.IO's open, namespace connect sent, subscribe emitted (waiting for its ack), established. */
const Phase = { OPENING: 0, CONNECTING: 1, SUBSCRIBING: 2, READY: 3 } as const;

/** The ack id of a subscriber's subscribe; a request's is its id plus this (ids from 1). */
const SUBSCRIBE_ACK = 1;
const PONG = '3';

/** A subscriber's message whose payload is still to come as binary attachments. */
interface Pending {
  topic: string;
  /** Attachments still to come; the first is the payload. */
  left: number;
  first: boolean;
}

function checkName(option: string, value: string): void {
  if (value.trim() === '') throw new ProtocolOptionError(option, 'an empty event name: Socket.IO events need a name');
}

/**
 * Socket.IO (Engine.IO v4, WebSocket transport only) with a convention for publish/subscribe, since
 * Socket.IO has none: a subscriber emits `subscribe` with its subject (or list) and an
 * acknowledgement, and counts as subscribed when the acknowledgement returns (one whose first
 * argument holds an `error` is a refusal); a publisher emits `publish` (subject, payload); a
 * subscriber receives `message` (subject, payload). The payload travels as a binary attachment of
 * exactly MessageSize bytes, the binary stamp at its start; a string payload (another client's) is
 * read as its UTF-8 bytes. The server's pings are answered; the client keeps no timer of its own.
 */
class SocketIoProtocol implements Protocol {
  readonly name = 'socket.io';
  readonly text = true;
  readonly attachment = true;
  readonly keepaliveMs = 0;
  readonly path: string;
  private readonly options: typeof SOCKET_IO_DEFAULTS;
  private readonly auth: Record<string, string> | undefined;

  constructor(options: ProtocolOptions) {
    const o = { ...SOCKET_IO_DEFAULTS, ...options.socketIo };
    checkName('sioSubscribeEvent', o.subscribeEvent);
    checkName('sioPublishEvent', o.publishEvent);
    checkName('sioMessageEvent', o.messageEvent);
    checkName('sioRequestEvent', o.requestEvent);
    if (!o.namespace.startsWith('/')) throw new ProtocolOptionError('sioNamespace', `"${o.namespace}" is not a namespace: a namespace starts with /`);
    this.options = o;
    this.path = enginePath(o.path);
    const auth: Record<string, string> = {};
    if (options.user !== undefined) auth.user = options.user;
    if (options.password !== undefined) auth.password = options.password;
    if (options.token !== undefined) auth.token = options.token;
    this.auth = Object.keys(auth).length ? auth : undefined;
  }

  open(s: Session): void {
    s.phase = Phase.OPENING;
    s.data = null;
  }

  receive(s: Session, data: Buffer): void {
    const pending = s.data as Pending | null;
    if (pending) return this.attached(s, pending, data);
    const text = data.toString('utf8');
    const type = text.charCodeAt(0) - 48;
    if (type === Engine.MESSAGE) return this.packet(s, text.slice(1));
    if (type === Engine.PING) return s.reply(PONG);
    if (type === Engine.OPEN) {
      if (s.phase !== Phase.OPENING) return;
      s.phase = Phase.CONNECTING;
      return s.send(connectPacket(this.options.namespace, this.auth));
    }
    if (type === Engine.CLOSE) return s.drop('socket.io: closed by the server');
    if (type === Engine.PONG || type === Engine.NOOP || type === Engine.UPGRADE) return;
    s.malformed(`Engine.IO packet of unknown type ${JSON.stringify(text.slice(0, 1))}`);
  }

  private packet(s: Session, text: string): void {
    const p = decodePacket(text);
    if (typeof p === 'string') return s.malformed(p);
    if (p.namespace !== this.options.namespace) return;
    switch (p.type) {
      case Sio.CONNECT:
        return this.connected(s);
      case Sio.CONNECT_ERROR:
        return s.refuse('socket.io: namespace refused', messageOf(p.data));
      case Sio.DISCONNECT:
        return s.drop('socket.io: disconnected by the server');
      case Sio.ACK:
      case Sio.BINARY_ACK:
        return this.ack(s, p);
      case Sio.EVENT:
      case Sio.BINARY_EVENT:
        return this.event(s, p);
    }
  }

  private connected(s: Session): void {
    if (s.phase !== Phase.CONNECTING) return;
    s.connected();
    if (s.role !== 'subscriber') {
      s.phase = Phase.READY;
      return;
    }
    const topics = s.topics;
    s.send(eventPacket(this.options.namespace, SUBSCRIBE_ACK, [this.options.subscribeEvent, topics.length === 1 ? topics[0] : topics]));
    s.phase = Phase.SUBSCRIBING;
  }

  private ack(s: Session, p: SioPacket): void {
    if (p.id !== undefined && p.id > SUBSCRIBE_ACK) return s.answered(p.id - SUBSCRIBE_ACK);
    if (p.id !== SUBSCRIBE_ACK || s.phase !== Phase.SUBSCRIBING) return;
    const first = Array.isArray(p.data) ? p.data[0] : undefined;
    const error = typeof first === 'object' && first !== null ? (first as { error?: unknown }).error : undefined;
    if (error !== undefined && error !== null && error !== false)
      return s.refuse('socket.io: subscribe refused', String(typeof error === 'string' ? error : JSON.stringify(error)));
    s.phase = Phase.READY;
    s.subscribed();
  }

  private event(s: Session, p: SioPacket): void {
    const args = p.data;
    if (!Array.isArray(args) || args[0] !== this.options.messageEvent || s.role !== 'subscriber') {
      // Another event of the app: its attachments are skipped.
      if (p.attachments > 0) s.data = { topic: '', left: p.attachments, first: false } satisfies Pending;
      return;
    }
    const topic = args[1];
    const payload = args[2];
    if (typeof topic !== 'string') return s.malformed(`Socket.IO ${this.options.messageEvent} event without a subject`);
    if (p.attachments > 0) {
      const isPlaceholder = typeof payload === 'object' && payload !== null && (payload as { _placeholder?: unknown })._placeholder === true;
      s.data = { topic, left: p.attachments, first: isPlaceholder } satisfies Pending;
      return;
    }
    if (typeof payload === 'string') return s.message(topic, Buffer.from(payload, 'utf8'));
    // A Buffer that crossed JSON on its way (a relay through JSON IPC): {"type":"Buffer","data":[...]}.
    const asJson = payload as { type?: unknown; data?: unknown } | null;
    if (asJson?.type === 'Buffer' && Array.isArray(asJson.data)) return s.message(topic, Buffer.from(asJson.data as number[]));
    s.malformed(`Socket.IO ${this.options.messageEvent} event whose payload is neither a string nor binary`);
  }

  private attached(s: Session, pending: Pending, data: Buffer): void {
    if (pending.first) s.message(pending.topic, data);
    pending.first = false;
    pending.left--;
    if (pending.left <= 0) s.data = null;
  }

  /** A request: the request event with (subject, payload as text) and an acknowledgement whose id carries the request's. */
  private requestText(topic: string, id: number, payload: Buffer): string {
    return eventPacket(this.options.namespace, id + SUBSCRIBE_ACK, [this.options.requestEvent, topic, payload.toString('latin1')]);
  }

  requestBytes(_s: Session, topic: string, payloadBytes: number): number {
    // Room for the widest id; the payload is printable ASCII (mdbench's pool): a byte a character, no JSON escapes.
    return Buffer.byteLength(this.requestText(topic, 0xffff_ffff, Buffer.alloc(0))) + payloadBytes;
  }

  writeRequest(out: Buffer, at: number, _s: Session, topic: string, id: number, payload: Buffer): number {
    return at + out.write(this.requestText(topic, id, payload), at, 'latin1');
  }

  publishBytes(topic: string): number {
    return Buffer.byteLength(binaryEventText(this.options.namespace, this.options.publishEvent, topic));
  }

  writePublish(out: Buffer, at: number, _s: Session, topic: string): number {
    return at + out.write(binaryEventText(this.options.namespace, this.options.publishEvent, topic), at, 'utf8');
  }
}

function messageOf(data: unknown): string {
  const m = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : data;
  return typeof m === 'string' ? m : JSON.stringify(m ?? null);
}

export const socketIo: ProtocolModule = { create: (o) => new SocketIoProtocol(o) };
