import type { Protocol, ProtocolModule, ProtocolOptions, Session } from '../protocol.js';
import { newStamp, type Stamp } from '../stamp.js';
import {
  FrameType,
  NATIVE_SUBPROTOCOL,
  Msg,
  Req,
  requestFrameBytes,
  writeRequestFrame,
  decodeSubjectList,
  encodeTimeRequest,
  encodeSubjectList,
  frameType,
  messageFrameBytes,
  readU64,
  writeMessageHeader,
} from './codec.js';

/** Seconds between a quiet native session's keepalives when KeepAlive is not set. */
const NATIVE_KEEPALIVE_S = 120;

/**
 * The mdbench native protocol (docs/protocol.md): no session to open, SUBSCRIBE answered by SUBACK,
 * the stamp in each MESSAGE's header.
 */
class NativeProtocol implements Protocol {
  readonly name = 'native';
  readonly subprotocol = NATIVE_SUBPROTOCOL;
  readonly stamp = 'header' as const;
  /**
   * A TIME_REQUEST from a session that heard nothing in a keepalive period: the server's
   * TIME_RESPONSE shows it is alive. mdbench-server needs none from its clients, so a session that
   * hears messages sends none, and the period is long by default (NATIVE_KEEPALIVE_S): at 1,200,000
   * idle connections a keepalive every 30 s took 1.43 of this box's 2 cores (tools/bench/keepalive.mjs).
   */
  readonly keepaliveMs: number;
  readonly keepaliveAnswered = true;
  readonly keepaliveWhenQuiet = true;
  private readonly st: Stamp = newStamp();
  private readonly ping = encodeTimeRequest(0);

  constructor(o: ProtocolOptions) {
    this.keepaliveMs = (o.keepaliveS ?? NATIVE_KEEPALIVE_S) * 1000;
  }

  keepalive(s: Session): void {
    s.send(this.ping);
  }

  open(s: Session): void {
    s.connected();
    if (s.role === 'subscriber') s.send(encodeSubjectList(FrameType.SUBSCRIBE, s.topics));
  }

  receive(s: Session, data: Buffer): void {
    try {
      switch (frameType(data)) {
        case FrameType.MESSAGE: {
          if (data.length < Msg.HEADER_BYTES) return s.malformed('message frame shorter than its header');
          const len = data.readUInt16BE(Msg.SUBJECT_LENGTH);
          if (Msg.HEADER_BYTES + len > data.length) return s.malformed('message subject runs past the frame');
          const st = this.st;
          st.publisherId = data.readUInt32BE(Msg.PUBLISHER_ID);
          st.seq = data.readUInt32BE(Msg.SEQ);
          st.scheduledUs = readU64(data, Msg.SCHEDULED_US);
          st.sentUs = readU64(data, Msg.SENT_US);
          s.stamped(data.toString('utf8', Msg.HEADER_BYTES, Msg.HEADER_BYTES + len), st, data.length - Msg.HEADER_BYTES - len);
          return;
        }
        case FrameType.SUBACK:
          decodeSubjectList(data);
          s.subscribed();
          return;
        case FrameType.TIME_RESPONSE:
          return;
        case FrameType.REPLY:
          if (data.length < Req.HEADER_BYTES) return s.malformed('reply frame shorter than its header');
          s.answered(data.readUInt32BE(Req.ID));
          return;
        case FrameType.ERROR:
          if (data.length < 4) return s.malformed('error frame shorter than 4 bytes');
          s.error(`server error ${data.readUInt16BE(2)}`, data.toString('utf8', 4));
          return;
        default:
          s.malformed(`unknown frame type 0x${data[0].toString(16)}`);
      }
    } catch (err) {
      s.malformed((err as Error).message);
    }
  }

  requestBytes(_s: Session, topic: string, payloadBytes: number): number {
    return requestFrameBytes(Buffer.byteLength(topic), payloadBytes);
  }

  writeRequest(out: Buffer, at: number, _s: Session, topic: string, id: number, payload: Buffer): number {
    return writeRequestFrame(out, at, topic, id, payload);
  }

  publishBytes(topic: string, payloadBytes: number): number {
    return messageFrameBytes(Buffer.byteLength(topic), payloadBytes);
  }

  writePublish(out: Buffer, at: number, _s: Session, topic: string, payload: Buffer, stamp: Stamp): number {
    const p = writeMessageHeader(out, at, topic, stamp);
    payload.copy(out, p);
    return p + payload.length;
  }
}

export const native: ProtocolModule = { create: (o) => new NativeProtocol(o) };
