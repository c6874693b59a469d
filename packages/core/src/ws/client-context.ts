import type { Counters } from '../stats/counters.js';
import type { WsClientConnection } from './client-connection.js';
import type { DeflateOffer } from './deflate.js';
import type { MaskMode } from './frames.js';
import type { ClientTls } from './tls-client.js';

/** Connection states, in order. */
export const WsState = { IDLE: 0, CONNECTING: 1, HANDSHAKE: 2, OPEN: 3, CLOSING: 4, CLOSED: 5 } as const;

/** Why a connection ended; `closed` is a close the server started, `local` one we started. */
export type CloseCause = string;

/**
 * What a connection speaks once its TCP (and TLS) connection is up: a WebSocket upgrade, an event
 * stream (a GET answered with text/event-stream: each event's data is a text message), or plain
 * HTTP requests written as they are (an HTTP publisher's POSTs: each response's status is a message).
 */
export type Transport = 'websocket' | 'sse' | 'http';

/** The phases of a connect attempt this layer sees (the protocol session comes after). */
export type ConnectPhase = 'tcp' | 'tls' | 'upgrade';

/** Callbacks shared by every connection of a process (one object, not one per connection). */
export interface WsClientEvents<C extends WsClientConnection> {
  onOpen(conn: C): void;
  /** Bytes were read from the socket (before their frames are handled): one clock read per read. */
  onRead?(conn: C): void;
  /** A whole data message; `payload` is valid only during the call. */
  onMessage(conn: C, opcode: number, payload: Buffer): void;
  /**
   * The connection is gone; `cause` is an errno code (ECONNREFUSED...), a TLS code (CERT_HAS_EXPIRED...),
   * `handshake`, `protocol`, `closed` or `local`; `phase` is the connect phase it failed in (null
   * when it had opened).
   */
  onClose(conn: C, cause: CloseCause, detail: string, phase: ConnectPhase | null): void;
  /** A wss:// connection finished its TLS handshake: `resumed` when it resumed an earlier session. */
  onTls?(conn: C, resumed: boolean): void;
  /** A phase of the connect attempt ended after `ms`: the TCP connect, the TLS handshake, the WebSocket upgrade. */
  onPhase?(conn: C, phase: ConnectPhase, ms: number): void;
}

/** Settings shared by every connection of a process. */
export interface WsClientContext<C extends WsClientConnection> {
  events: WsClientEvents<C>;
  /** One read buffer shared by all sockets (`onread`), sized by BufferSize. */
  readBuffer: Buffer;
  maxPayload: number;
  mask: MaskMode;
  /** Data frames go out as text (opcode 1) rather than binary. */
  text?: boolean;
  path: string;
  subprotocol?: string;
  headers?: Record<string, string>;
  /** TLS of wss:// targets (one secure context for the whole process). */
  tls?: ClientTls;
  /** Monotonic ms for timing the phases of a connect (default `performance.now`). */
  nowMs?: () => number;
  /** permessage-deflate offered to every server. */
  deflate?: DeflateOffer;
  /** Where compressed messages received are counted: `deflateWireBytes` as they came, `deflateMessageBytes` inflated. */
  deflateCounters?: Counters;
  /** What the connections speak (default websocket). */
  transport?: Transport;
  /** The request path of one connection (an event stream's URL names its subject), instead of `path`. */
  pathOf?(conn: C): string;
  /** The server's `retry:` of an event stream, ms. */
  onRetry?(ms: number): void;
}

export interface WsTarget {
  host: string;
  port: number;
  localAddress?: string;
  localPort?: number;
  /** wss://: TLS, with the context's `tls`. */
  tls?: boolean;
}
