import {
  FrameType,
  NATIVE_SUBPROTOCOL,
  ProtocolError,
  decodeMessage,
  decodeSubjectList,
  encodeSubjectList,
  encodeTimeRequest,
  frameType,
  messageFrameBytes,
  readU64,
  writeMessageHeader,
  type MessageFields,
} from './native-codec.js';
import type { InboundSink, PubSubProtocol } from './protocol.js';

/** The mdbench native protocol (docs/protocol.md) as a PubSubProtocol. */
export class NativeProtocol implements PubSubProtocol {
  readonly name = 'native';
  readonly subprotocol = NATIVE_SUBPROTOCOL;
  readonly binary = true;
  private readonly fields: MessageFields = { subject: '', publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0, payloadBytes: 0 };

  encodeSubscribe(subjects: readonly string[]): Buffer {
    return encodeSubjectList(FrameType.SUBSCRIBE, subjects);
  }

  encodeUnsubscribe(subjects: readonly string[]): Buffer {
    return encodeSubjectList(FrameType.UNSUBSCRIBE, subjects);
  }

  encodeTimeRequest(clientUs: number): Buffer {
    return encodeTimeRequest(clientUs);
  }

  decode(message: Buffer, sink: InboundSink): void {
    try {
      switch (frameType(message)) {
        case FrameType.MESSAGE:
          sink.onMessage(decodeMessage(message, this.fields));
          return;
        case FrameType.SUBACK:
          sink.onSubscribed(decodeSubjectList(message).length);
          return;
        case FrameType.TIME_RESPONSE:
          if (message.length < 20) throw new ProtocolError('MDB_PROTO_SHORT', 'time response shorter than 20 bytes');
          sink.onTimeResponse(readU64(message, 4), readU64(message, 12));
          return;
        case FrameType.ERROR:
          if (message.length < 4) throw new ProtocolError('MDB_PROTO_SHORT', 'error frame shorter than 4 bytes');
          sink.onServerError(message.readUInt16BE(2), message.toString('utf8', 4));
          return;
        default:
          sink.onMalformed(`unknown frame type 0x${message[0].toString(16)}`);
      }
    } catch (err) {
      sink.onMalformed((err as Error).message);
    }
  }

  messageBytes(subject: string, payloadBytes: number): number {
    return messageFrameBytes(Buffer.byteLength(subject), payloadBytes);
  }

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
  ): number {
    const at = writeMessageHeader(buf, offset, subject, publisherId, seq, scheduledUs, sentUs);
    payload.copy(buf, at, payloadOffset, payloadOffset + payloadBytes);
    return at + payloadBytes;
  }
}

/** Protocols by name, for `--protocol`. */
export function createProtocol(name: string): PubSubProtocol {
  if (name === 'native') return new NativeProtocol();
  throw new ProtocolError('MDB_PROTO_UNKNOWN', `unknown protocol "${name}" (known: native)`);
}
