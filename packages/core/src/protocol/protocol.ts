import type { MessageFields } from './native-codec.js';

/** What a decoded inbound WebSocket message means to a subscriber. */
export interface InboundSink {
  /** A published message; `m` is reused by the decoder, copy what you keep. */
  onMessage(m: MessageFields): void;
  /** The server confirmed `count` subscriptions. */
  onSubscribed(count: number): void;
  /** A clock-offset probe came back. */
  onTimeResponse(clientUs: number, serverUs: number): void;
  /** The server reported an error and will likely close. */
  onServerError(code: number, text: string): void;
  /** The message could not be decoded; the connection goes on. */
  onMalformed(reason: string): void;
}

/**
 * A publish/subscribe wire protocol carried over WebSocket. The native protocol is the first; NATS
 * over WebSocket fits the same shape (its SUB/PUB/MSG lines carry the stamp inside the payload).
 */
export interface PubSubProtocol {
  readonly name: string;
  /** Sec-WebSocket-Protocol to request, if any. */
  readonly subprotocol?: string;
  /** Whether frames go out as binary (opcode 2) rather than text (opcode 1). */
  readonly binary: boolean;
  encodeSubscribe(subjects: readonly string[]): Buffer;
  encodeUnsubscribe(subjects: readonly string[]): Buffer;
  encodeTimeRequest(clientUs: number): Buffer;
  /** Decodes one whole inbound WebSocket message. Never throws: problems go to `sink.onMalformed`. */
  decode(message: Buffer, sink: InboundSink): void;
  /** Bytes of one message frame for this subject and payload size (for the publisher's batch buffer). */
  messageBytes(subject: string, payloadBytes: number): number;
  /**
   * Writes one message frame at `offset` with the payload copied from `payload[payloadOffset ..]`;
   * returns the offset after it.
   */
  writeMessage(
    buf: Buffer,
    offset: number,
    subject: string,
    publisherId: number,
    seq: number,
    scheduledUs: number,
    sentUs: number,
    payload: Buffer,
    payloadOffset: number,
    payloadBytes: number,
  ): number;
}
