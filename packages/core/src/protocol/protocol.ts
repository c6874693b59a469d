import type { Carry } from './carry.js';
import type { Stamp, StampFormat } from './stamp.js';

/**
 * Which side of a run a session is on. A responder (mdbench-publisher --respond) subscribes to its
 * topics as one of a group that shares them (each request reaches one responder) and answers the
 * requests it gets (`Session.request`).
 */
export type Role = 'subscriber' | 'publisher' | 'responder';

/**
 * One connection's protocol session, as mdbench hands it to a protocol. mdbench owns the socket,
 * the WebSocket framing, reconnects, timers and statistics; the protocol only reads and writes its
 * own packets and reports what they meant through these calls. The object is the connection itself
 * (hundreds of thousands live in one process), so a protocol keeps per-connection state only in
 * `phase`, `carry` and `data`.
 */
export interface Session {
  /** subscriber or publisher. */
  readonly role: Role;
  /** The connection's number in the fleet, stable across reconnects (0-based). */
  readonly index: number;
  /** A client id unique across the whole fleet (prefix, instance, worker and connection number). */
  readonly clientId: string;
  /** The topics (subjects mapped by `Protocol.topic`) a subscriber subscribes to; empty for a publisher. */
  readonly topics: readonly string[];
  /** Protocol-private: a small state number, 0 when the WebSocket opens. */
  phase: number;
  /** Protocol-private: unfinished bytes of a packet split across WebSocket messages (a Buffer, or core's `Carry`), or null. */
  carry: Buffer | Carry | null;
  /** Protocol-private: anything else (a packet-id counter...); undefined when the WebSocket opens. */
  data: unknown;
  /** Sends one WebSocket message (text when the protocol says `text`, else binary). */
  send(data: Uint8Array | string): void;
  /** Sends a reply the server asked for (the pong to its ping): dropped while a MiB waits unsent to a server that does not read. */
  reply(data: Uint8Array | string): void;
  /** The protocol session is established (CONNACK, CONNECTED, INFO answered...). */
  connected(): void;
  /** The server acknowledged every subscription of this connection (SUBACK, RECEIPT, PONG...). */
  subscribed(): void;
  /** A message arrived on `topic`; mdbench reads the stamp from the start of `payload`. */
  message(topic: string, payload: Buffer): void;
  /** A message whose stamp the protocol decoded itself (the native protocol carries it in a header). */
  stamped(topic: string, stamp: Stamp, payloadBytes: number): void;
  /** A publisher's publish was acknowledged by the server (QoS 1 PUBACK, receipt...). */
  acked(): void;
  /** The reply to this connection's request `id` (the id `writeRequest` was given) arrived. */
  answered(id: number): void;
  /** A responder got a request: its payload, to be answered by a publish to `replyTo`. */
  request(replyTo: string, payload: Buffer): void;
  /** The server refused the login or a subscription: counted under `cause` (shown as is), the connection is closed. */
  refuse(cause: string, detail?: string): void;
  /** The server reported an error the session survives: counted under `cause`. */
  error(cause: string, detail?: string): void;
  /** Bytes that do not parse: counted as malformed; the session goes on (a protocol that cannot resynchronise then calls `drop`). */
  malformed(detail: string): void;
  /** Closes the connection, counted under `cause`; it reconnects as any dropped connection does. */
  drop(cause: string, detail?: string): void;
}

/**
 * A publish/subscribe protocol spoken over WebSocket. The built-in ones (native, nats, mqtt, stomp, socket.io, graphql-ws)
 * and plug-ins (`--protocol ./file.mjs`) implement exactly this; docs/protocols.md describes it with
 * each protocol's frames.
 */
export interface Protocol {
  /** Short name, shown in reports. */
  readonly name: string;
  /** `Sec-WebSocket-Protocol` to ask for, if any. */
  readonly subprotocol?: string;
  /** Frames go out as text (opcode 1) rather than binary. */
  readonly text?: boolean;
  /**
   * How mdbench puts the stamp in a payload before `writePublish`: `binary` (28 bytes, the default),
   * `text` (57 printable bytes), or `header` when the protocol carries the stamp itself (`writePublish`
   * gets it as `stamp`, and the subscriber side reports it with `Session.stamped`).
   */
  readonly stamp?: StampFormat | 'header';
  /** How often mdbench calls `keepalive` on each idle session, ms (from the worker's timer wheel); 0 or absent: never. */
  readonly keepaliveMs?: number;
  /**
   * The server answers every keepalive (PONG, PINGRESP, a time response): a subscriber that has
   * heard nothing at all for a whole keepalive period after sending one takes the server for dead
   * and reconnects (`keepalive-timeout`). Absent: keepalives are not answered (STOMP heart-beats).
   */
  readonly keepaliveAnswered?: boolean;
  /**
   * A keepalive is needed only by a session that has heard nothing in the period (the server does
   * not require the client to speak, as MQTT's and STOMP's do): one that heard anything sends none,
   * and a quiet one is taken for dead only when the period after its keepalive is quiet too.
   */
  readonly keepaliveWhenQuiet?: boolean;
  /** Most publishes one publisher connection may have unacknowledged (QoS 1); absent: publishes are not acknowledged. */
  readonly window?: number;
  /**
   * The payload travels as a binary WebSocket message of its own, right after the message
   * `writePublish` writes (Socket.IO's binary attachment): `writePublish` then writes only that first
   * message and `publishBytes` is its size.
   */
  readonly attachment?: boolean;
  /** The WebSocket path when the server address gives none (Socket.IO's `/socket.io/?EIO=4&transport=websocket`); absent: `/`. */
  readonly path?: string;
  /**
   * The subscription is the URL a connection opens (an event stream, Nchan's channel URLs): a
   * subscriber's request path is its topic, so each connection carries one subject.
   */
  readonly subscribeByPath?: boolean;
  /** Maps an mdbench subject (`/p/s1/-`) to this protocol's name for it; absent: used as is. */
  topic?(subject: string): string;
  /** The WebSocket is open: start the session (a subscriber then subscribes to `s.topics`). */
  open(s: Session): void;
  /** One whole inbound WebSocket message. Must not throw: problems go to `s.malformed`/`s.error`. */
  receive(s: Session, data: Buffer): void;
  /** Sends what keeps an idle session alive (PINGREQ, PING, a heart-beat). */
  keepalive?(s: Session): void;
  /**
   * A publisher's run is ending: sends what makes the server confirm it has taken everything sent
   * before and then close the connection (STOMP's DISCONNECT with a receipt). The publisher waits
   * for that close, a while at most, before closing its side. Absent: the WebSocket close alone.
   */
  goodbye?(s: Session): void;
  /**
   * Request/response (mdbench-client --request-rate), for a protocol with a native mechanism for it:
   * the most bytes the WebSocket message `writeRequest` writes, and the writing of it (it returns
   * the offset after what it wrote). `id` (u32, from 1) must come back with the reply, which the
   * protocol reports with `Session.answered(id)`. Absent: the protocol cannot make requests (the
   * option is refused before any connection).
   */
  requestBytes?(s: Session, topic: string, payloadBytes: number): number;
  writeRequest?(out: Buffer, at: number, s: Session, topic: string, id: number, payload: Buffer): number;
  /** The protocol can be a responder (role `responder`): a reply is a publish to the request's reply address. */
  readonly respond?: boolean;
  /** Bytes of the WebSocket message `writePublish` writes for `topic` and a payload of `payloadBytes`. */
  publishBytes(topic: string, payloadBytes: number): number;
  /**
   * Writes one publish into `out` at `at` and returns the offset after it (exactly
   * `publishBytes(topic, payload.length)` bytes). `payload` is exactly MessageSize bytes with the
   * stamp already at its start (unless `stamp` is `header`).
   */
  writePublish(out: Buffer, at: number, s: Session, topic: string, payload: Buffer, stamp: Stamp): number;
}

/** Seconds between keepalives when KeepAlive is not set, for a protocol whose server expects them (MQTT, STOMP, NATS, graphql-ws). */
export const DEFAULT_KEEPALIVE_S = 30;

/** Settings a protocol is created with, from the client's or publisher's options. */
export interface ProtocolOptions {
  role: Role;
  /** 0 or 1 (MQTT). */
  qos: number;
  /** MQTT protocol level: 4 (3.1.1) or 5. */
  mqttVersion: number;
  /** Seconds between keepalives (MQTT keepalive, STOMP heart-beat); unset: the protocol's own default. */
  keepaliveS?: number;
  /** Unacknowledged QoS 1 publishes per publisher connection. */
  window: number;
  user?: string;
  password?: string;
  token?: string;
  /** STOMP destination (or other topic) template; `{subject}` is replaced. */
  destination?: string;
  /** Socket.IO: the path when the address gives none, the namespace, and the events of the convention. */
  socketIo?: { path: string; namespace: string; subscribeEvent: string; publishEvent: string; messageEvent: string; requestEvent: string };
  /** The subscriber makes requests (mdbench-client --request-rate): a protocol that needs a reply address subscribes to it. */
  requests?: boolean;
  /** graphql-ws: the subscription (with $subject) and the publishing mutation (with $subject and $payload). */
  graphql?: { subscription: string; publish: string; request?: string };
  /** Seconds of silence after which a plain subscriber's stream is taken for dead (0: never). */
  idleS?: number;
  /** The URL path of a subject's stream (plain subscribers: SSE, channel WebSockets), with {subject} or {dotted}. */
  ssePath?: string;
  /** The URL path an HTTP publisher posts a subject's messages to, with {subject} or {dotted}. */
  publishPath?: string;
}

/** What a protocol module (built-in or plug-in) exports. */
export interface ProtocolModule {
  create(options: ProtocolOptions): Protocol;
}

/** A protocol option that cannot work (a template without its variable): one line located at the option (exit 2). */
export class ProtocolOptionError extends Error {
  /** The option's name in the option table (`gqlSubscription`). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}
