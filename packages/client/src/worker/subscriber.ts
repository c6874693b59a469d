import {
  SessionConnection,
  observeSeq,
  type IntegrityCounts,
  type RunProtocol,
  type SeqStream,
  type Stamp,
  type WsClientConnection,
  type WsClientContext,
} from '@mdbench/core/worker';
import { StreamTable, followAway } from './stream-table.js';

/** What a worker does with what its connections' protocol sessions report (one object for all of them). */
export interface SessionSink {
  connected(c: Subscriber): void;
  subscribed(c: Subscriber): void;
  message(c: Subscriber, topic: string, payload: Buffer): void;
  stamped(c: Subscriber, topic: string, stamp: Stamp, payloadBytes: number): void;
  /** The reply to request `id` of `c` arrived. */
  answered(c: Subscriber, id: number): void;
  refused(c: Subscriber, cause: string, detail: string): void;
  error(c: Subscriber, cause: string, detail: string): void;
  malformed(c: Subscriber, detail: string): void;
}

/** Settings and handlers shared by every connection of a worker. */
export interface SubscriberContext extends WsClientContext<Subscriber> {
  protocol: RunProtocol;
  sessions: SessionSink;
  /** `prefix-instance-worker`: a connection's client id adds its fleet number. */
  clientIdBase: string;
}

/** How far a connection's protocol session got. */
export const Level = { NONE: 0, OPEN: 1, CONNECTED: 2, SUBSCRIBED: 3 } as const;

/**
 * One subscriber connection: its fleet index, its subjects, its protocol session and the sequence
 * state of the streams it receives. The first (publisher, subject) stream is kept inline (the
 * connection is itself the SeqStream), any further ones packed in a StreamTable: hundreds of thousands of
 * these live in a worker, so nothing here is a closure or a timer.
 */
export class Subscriber extends SessionConnection implements SeqStream {
  /** The topic, or the topics when it subscribes to several (mapped by the protocol). */
  subjects: string | string[] = '';
  /** Level of the connection: none, WebSocket open, protocol session connected, subscribed. */
  level: number = Level.NONE;
  /** Failed (re)connect attempts since it was last open. */
  attempt = 0;
  /** When it dropped (monotonic ms), 0 while open or never opened. */
  downSinceMs = 0;
  /** When its next keepalive is due (monotonic ms), 0 when none is scheduled. */
  keepaliveAtMs = 0;
  /** Something was read since its last keepalive went out (the server is alive). */
  heard = false;
  /** A keepalive went out and nothing has been heard since (quiet-only keepalives). */
  asked = false;
  /** When its WebSocket opened (monotonic ms): the protocol session's phase starts there. */
  openedAtMs = 0;
  /** When its event stream opened (epoch µs; 0 for other transports): a message sent before came with a resume. */
  openedAtUs = 0;
  /** Messages this connection has published (--publish-rate), over all its reconnects: its sequence numbers come from it. */
  published = 0;
  /** When its next message, its next request is due (monotonic ms), while it publishes or requests. */
  publishDueMs = 0;
  requestDueMs = 0;
  /** Requests it has made (its subjects are requested in turn). */
  requested = 0;
  /** When it closes itself (--lifetime; monotonic ms), 0: not while this session lasts. */
  lifeEndMs = 0;
  /** It closed itself and is connecting again. */
  closedItself = false;
  /** Back after closing itself: the next message of its first stream counts its gap as missed offline, not lost. */
  private rejoinInline = false;
  /** Publisher of the inline stream; -1 until the first message. */
  private streamPub = -1;
  /** Subject of the inline stream, kept only with several subjects per connection. */
  private streamSubject: string | null = null;
  first = 0;
  last = 0;
  window = 0;
  /** The streams beyond the first, packed. */
  private more: StreamTable | null = null;

  constructor(ctx: SubscriberContext, index: number) {
    super(ctx as WsClientContext<WsClientConnection>, index);
  }

  private get sub(): SubscriberContext {
    return this.ctx as SubscriberContext;
  }

  get role(): 'subscriber' {
    return 'subscriber';
  }

  get clientId(): string {
    return `${this.sub.clientIdBase}-${this.index}`;
  }

  get topics(): readonly string[] {
    return typeof this.subjects === 'string' ? [this.subjects] : this.subjects;
  }

  /** A fresh session on a WebSocket that has just opened. */
  override resetSession(): void {
    super.resetSession();
    this.level = Level.OPEN;
  }

  override connected(): void {
    this.sub.sessions.connected(this);
  }

  override subscribed(): void {
    this.sub.sessions.subscribed(this);
  }

  override message(topic: string, payload: Buffer): void {
    this.sub.sessions.message(this, topic, payload);
  }

  override stamped(topic: string, stamp: Stamp, payloadBytes: number): void {
    this.sub.sessions.stamped(this, topic, stamp, payloadBytes);
  }

  override answered(id: number): void {
    this.sub.sessions.answered(this, id);
  }

  protected refused(cause: string, detail: string): void {
    this.sub.sessions.refused(this, cause, detail);
  }

  override error(cause: string, detail = ''): void {
    this.sub.sessions.error(this, cause, detail);
  }

  override malformed(detail: string): void {
    this.sub.sessions.malformed(this, detail);
  }

  /** True when `topic` is one this connection subscribed to. */
  hasSubject(topic: string): boolean {
    return typeof this.subjects === 'string' ? this.subjects === topic : this.subjects.includes(topic);
  }

  /** It closed itself (its lifetime) and is subscribed again: the streams it had have a gap of its own making. */
  rejoined(): void {
    this.rejoinInline = this.streamPub !== -1;
    this.more?.markRejoin();
  }

  /** Accounts message `seq` of publisher `pub` on `topic` (one this connection subscribed to) in `c`. */
  observe(pub: number, topic: string, seq: number, c: IntegrityCounts): void {
    const single = typeof this.subjects === 'string';
    if (this.streamPub === -1) {
      this.streamPub = pub;
      if (!single) this.streamSubject = topic;
      this.first = this.last = seq;
      this.window = 0;
      c.joinedAfter += Math.max(0, seq - 1);
      return;
    }
    if (pub === this.streamPub && (single || topic === this.streamSubject)) {
      if (this.rejoinInline) followAway(this, seq, c);
      else observeSeq(this, seq, c);
      this.rejoinInline = false;
      return;
    }
    // A further stream: the subject by its index on the connection (-1, as u32, for one it did not subscribe to).
    const subject = single ? 0 : (this.subjects as string[]).indexOf(topic);
    (this.more ??= new StreamTable()).observe(pub, subject, seq, c);
  }
}
