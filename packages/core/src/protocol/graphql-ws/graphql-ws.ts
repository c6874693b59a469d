import { DEFAULT_KEEPALIVE_S, ProtocolOptionError, type Protocol, type ProtocolModule, type ProtocolOptions, type Session } from '../protocol.js';
import {
  DEFAULT_PUBLISH,
  DEFAULT_REQUEST,
  DEFAULT_SUBSCRIPTION,
  GRAPHQL_WS_SUBPROTOCOL,
  PING,
  PONG,
  PUBLISH_ID_DIGITS,
  connectionInit,
  publishParts,
  readMessage,
  subscribeMessage,
  type GraphqlError,
} from './codec.js';

/** Session phases: connection_init sent, acknowledged (subscribes and a ping sent), established. */
const Phase = { INIT: 0, SUBSCRIBING: 1, READY: 2 } as const;

/** A template must name the variables mdbench fills, or no message can reach the subscription. */
function needs(option: string, template: string, variables: string[]): void {
  const missing = variables.filter((v) => !new RegExp(`\\$${v}\\b`).test(template));
  if (missing.length) {
    throw new ProtocolOptionError(
      option,
      `"${template.slice(0, 100)}" uses no ${missing.map((v) => `$${v}`).join(' or ')}: mdbench passes each message's ${missing.join(' and ')} in ${missing.length > 1 ? 'them' : 'it'}`,
    );
  }
}

/** Counted causes stay few: a GraphQL error's message, cut short. */
function cause(errors: GraphqlError[]): string {
  return `graphql: ${(errors[0]?.message ?? 'error without a message').slice(0, 80)}`;
}

/** The operations' ids a publisher uses: a counter per connection, fixed width. */
function nextPublishId(s: Session): number {
  const n = ((s.data as number | undefined) ?? 0) + 1;
  s.data = n % 10 ** PUBLISH_ID_DIGITS;
  return s.data as number;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws's graphql-transport-ws subprotocol): the client
 * sends connection_init (user, password and token in its payload) and waits for connection_ack. A
 * subscriber then subscribes once per subject (operation ids 1..n, the subject as `$subject`) and
 * sends a ping: the protocol acknowledges no subscription, so the pong that follows counts the
 * session subscribed (a server handles a connection's messages in order). A message is the first
 * field of a `next`'s data, a string: the text stamp and the rest of the payload, exactly
 * MessageSize characters. A publisher sends each message as a mutation of its own (fixed-width
 * ids, `$subject` and `$payload`); the operation's end (`complete`, or an `error`) acknowledges it,
 * so at most `--window` are in flight and the publisher's end waits for the last ones; the
 * server's errors are counted. Server pings are answered; mdbench's keepalive is a ping.
 */
class GraphqlWsProtocol implements Protocol {
  readonly name = 'graphql-ws';
  readonly subprotocol = GRAPHQL_WS_SUBPROTOCOL;
  readonly text = true;
  readonly stamp = 'text' as const;
  readonly keepaliveMs: number;
  readonly keepaliveAnswered = true;
  /** A publisher's mutations in flight, acknowledged by their operation's end. */
  readonly window: number | undefined;
  private readonly init: string;
  private readonly subscription: string;
  private readonly parts: ReturnType<typeof publishParts>;
  /** Requests (--request-rate): the operation's parts; its result, a `next` on operation `r<id>`, is the reply. */
  private readonly requestParts: ReturnType<typeof publishParts>;

  constructor(o: ProtocolOptions) {
    this.keepaliveMs = (o.keepaliveS ?? DEFAULT_KEEPALIVE_S) * 1000;
    this.window = o.role === 'publisher' && o.window > 0 ? o.window : undefined;
    this.init = connectionInit(o);
    this.subscription = o.graphql?.subscription ?? DEFAULT_SUBSCRIPTION;
    const publish = o.graphql?.publish ?? DEFAULT_PUBLISH;
    if (o.role === 'subscriber') needs('gqlSubscription', this.subscription, ['subject']);
    else needs('gqlPublish', publish, ['subject', 'payload']);
    this.parts = publishParts(publish);
    const request = o.graphql?.request ?? DEFAULT_REQUEST;
    if (o.requests) needs('gqlRequest', request, ['subject', 'payload']);
    this.requestParts = publishParts(request);
  }

  open(s: Session): void {
    s.phase = Phase.INIT;
    s.send(this.init);
  }

  receive(s: Session, data: Buffer): void {
    const m = readMessage(data.toString('utf8'));
    if (typeof m === 'string') return s.malformed(m);
    switch (m.type) {
      case 'connection_ack':
        return this.acknowledged(s);
      case 'ping':
        return s.reply(PONG);
      case 'pong':
        if (s.phase !== Phase.SUBSCRIBING) return;
        s.phase = Phase.READY;
        return s.subscribed();
      case 'next':
        if (m.errors.length) return s.error(cause(m.errors), m.errors[0]?.message);
        if (isRequest(m.id)) return s.answered(Number(m.id.slice(1)));
        if (s.role === 'subscriber') return this.next(s, m.id, m.data);
        return;
      case 'error':
        // A request that failed: counted, its timeout says the rest.
        if (isRequest(m.id)) return s.error(cause(m.errors), m.errors[0]?.message);
        // A subscription the server refused leaves the subscriber without its messages: refused.
        if (s.role === 'subscriber') return s.refuse(cause(m.errors), m.errors[0]?.message);
        // A mutation's error ends its operation (no complete follows).
        s.acked();
        return s.error(cause(m.errors), m.errors[0]?.message);
      case 'complete':
        if (isRequest(m.id)) return;
        if (s.role === 'subscriber') return s.drop('graphql: subscription completed by the server');
        return s.acked();
    }
  }

  private acknowledged(s: Session): void {
    if (s.phase !== Phase.INIT) return;
    s.connected();
    if (s.role !== 'subscriber') {
      s.phase = Phase.READY;
      return;
    }
    const topics = s.topics;
    for (let i = 0; i < topics.length; i++) s.send(subscribeMessage(String(i + 1), this.subscription, { subject: topics[i] }));
    s.send(PING);
    s.phase = Phase.SUBSCRIBING;
  }

  private next(s: Session, id: string, data: Record<string, unknown> | null): void {
    const topic = s.topics[Number(id) - 1];
    if (topic === undefined) return s.malformed(`graphql-ws next for operation ${id.slice(0, 20)}, which this connection did not start`);
    const first = data ? Object.values(data)[0] : undefined;
    if (typeof first !== 'string') return s.malformed('graphql-ws next whose data has no string as its first field');
    s.message(topic, Buffer.from(first, 'latin1'));
  }

  keepalive(s: Session): void {
    if (s.phase === Phase.READY) s.send(PING);
  }

  publishBytes(topic: string, payloadBytes: number): number {
    return operationBytes(this.parts, topic, payloadBytes);
  }

  writePublish(out: Buffer, at: number, s: Session, topic: string, payload: Buffer): number {
    return writeOperation(out, at, this.parts, String(nextPublishId(s)).padStart(PUBLISH_ID_DIGITS, '0'), topic, payload);
  }

  /** A request is an operation of its own, id `r` and the request's id (fixed width): its `next` is the reply. */
  requestBytes(_s: Session, topic: string, payloadBytes: number): number {
    return operationBytes(this.requestParts, topic, payloadBytes) + 1;
  }

  writeRequest(out: Buffer, at: number, _s: Session, topic: string, id: number, payload: Buffer): number {
    return writeOperation(out, at, this.requestParts, `r${String(id).padStart(PUBLISH_ID_DIGITS, '0')}`, topic, payload);
  }
}

/** A request's operation id (`r` and digits), as a client's requests number them. */
function isRequest(id: string): boolean {
  return id.charCodeAt(0) === 0x72 && /^r\d+$/.test(id);
}

/** Bytes of an operation with a fixed-width id, `topic` and a payload of `payloadBytes`. */
function operationBytes(p: ReturnType<typeof publishParts>, topic: string, payloadBytes: number): number {
  return p.head.length + PUBLISH_ID_DIGITS + p.middle.length + Buffer.byteLength(JSON.stringify(topic)) + p.tail.length + payloadBytes + p.end.length;
}

/** Writes the operation `id` (`topic`, `payload`) at `at`; returns the offset after it. */
function writeOperation(out: Buffer, at: number, p: ReturnType<typeof publishParts>, id: string, topic: string, payload: Buffer): number {
  let w = at + p.head.copy(out, at);
  w += out.write(id, w, 'latin1');
  w += p.middle.copy(out, w);
  w += out.write(JSON.stringify(topic), w, 'utf8');
  w += p.tail.copy(out, w);
  w += payload.copy(out, w);
  return w + p.end.copy(out, w);
}

export const graphqlWs: ProtocolModule = { create: (o) => new GraphqlWsProtocol(o) };
