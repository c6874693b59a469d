/**
 * The mdbench native wire protocol, version 1 (docs/protocol.md). Every frame is one binary
 * WebSocket message whose first byte is its type and second byte the protocol version. All
 * integers are big-endian. This file is pure: no sockets, no clocks.
 */
import { ProtocolError } from '../../errors.js';
import type { Stamp } from '../stamp.js';

const PROTOCOL_VERSION = 1;
/** The WebSocket subprotocol a client asks for. */
export const NATIVE_SUBPROTOCOL = 'mdbench.v1';

export const FrameType = {
  SUBSCRIBE: 0x01,
  UNSUBSCRIBE: 0x02,
  MESSAGE: 0x03,
  SUBACK: 0x04,
  TIME_REQUEST: 0x05,
  TIME_RESPONSE: 0x06,
  ERROR: 0x07,
  REQUEST: 0x08,
  REPLY: 0x09,
} as const;

/** Byte offsets inside a REQUEST frame (and its REPLY, the same bytes with the type changed). */
export const Req = {
  SUBJECT_LENGTH: 2,
  ID: 4,
  HEADER_BYTES: 8,
} as const;

/** Size of a REQUEST frame for a subject of `subjectBytes` bytes and a payload of `payloadBytes`. */
export function requestFrameBytes(subjectBytes: number, payloadBytes: number): number {
  return Req.HEADER_BYTES + subjectBytes + payloadBytes;
}

/** Writes a REQUEST frame (`[type][version][subjectLength u16][id u32][subject][payload]`) at `at`; returns the offset after it. */
export function writeRequestFrame(buf: Buffer, at: number, subject: string, id: number, payload: Uint8Array): number {
  buf[at] = FrameType.REQUEST;
  buf[at + 1] = PROTOCOL_VERSION;
  const subjectBytes = buf.write(subject, at + Req.HEADER_BYTES, 'utf8');
  buf.writeUInt16BE(subjectBytes, at + Req.SUBJECT_LENGTH);
  buf.writeUInt32BE(id >>> 0, at + Req.ID);
  buf.set(payload, at + Req.HEADER_BYTES + subjectBytes);
  return at + Req.HEADER_BYTES + subjectBytes + payload.length;
}

/** The REPLY to a REQUEST frame: the same bytes, type 0x09 (subject and payload echoed). */
export function replyTo(request: Buffer): Buffer {
  if (request.length < Req.HEADER_BYTES) throw new ProtocolError('MDB_PROTO_SHORT', 'request frame shorter than its header');
  if (Req.HEADER_BYTES + request.readUInt16BE(Req.SUBJECT_LENGTH) > request.length)
    throw new ProtocolError('MDB_PROTO_SHORT', 'request subject runs past the frame');
  const reply = Buffer.from(request);
  reply[0] = FrameType.REPLY;
  return reply;
}

/** Byte offsets inside a MESSAGE frame. */
export const Msg = {
  TYPE: 0,
  VERSION: 1,
  SUBJECT_LENGTH: 2,
  PUBLISHER_ID: 4,
  SEQ: 8,
  SCHEDULED_US: 12,
  SENT_US: 20,
  HEADER_BYTES: 28,
} as const;

const TWO32 = 0x1_0000_0000;

/** Writes a non-negative integer below 2^53 as u64 big-endian. */
function writeU64(buf: Buffer, value: number, offset: number): void {
  const hi = Math.floor(value / TWO32);
  buf.writeUInt32BE(hi, offset);
  buf.writeUInt32BE(value - hi * TWO32, offset + 4);
}

export function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset) * TWO32 + buf.readUInt32BE(offset + 4);
}

/** The fields of a MESSAGE frame, as decoded. */
export interface MessageFields extends Stamp {
  subject: string;
  payloadBytes: number;
}

/** Size of a MESSAGE frame for a subject of `subjectBytes` bytes and a payload of `payloadBytes`. */
export function messageFrameBytes(subjectBytes: number, payloadBytes: number): number {
  return Msg.HEADER_BYTES + subjectBytes + payloadBytes;
}

/**
 * Writes a MESSAGE frame header and subject at `offset`; the caller writes `payloadBytes` bytes of
 * payload right after. Returns the offset where the payload starts.
 */
export function writeMessageHeader(buf: Buffer, offset: number, subject: string, stamp: Stamp): number {
  buf[offset + Msg.TYPE] = FrameType.MESSAGE;
  buf[offset + Msg.VERSION] = PROTOCOL_VERSION;
  const subjectBytes = buf.write(subject, offset + Msg.HEADER_BYTES, 'utf8');
  buf.writeUInt16BE(subjectBytes, offset + Msg.SUBJECT_LENGTH);
  buf.writeUInt32BE(stamp.publisherId >>> 0, offset + Msg.PUBLISHER_ID);
  buf.writeUInt32BE(stamp.seq >>> 0, offset + Msg.SEQ);
  writeU64(buf, stamp.scheduledUs, offset + Msg.SCHEDULED_US);
  writeU64(buf, stamp.sentUs, offset + Msg.SENT_US);
  return offset + Msg.HEADER_BYTES + subjectBytes;
}

/** Encodes a whole MESSAGE frame (tests and tools; the publisher writes in place). */
export function encodeMessage(fields: Omit<MessageFields, 'payloadBytes'>, payload: Uint8Array): Buffer {
  const subjectBytes = Buffer.byteLength(fields.subject);
  const buf = Buffer.allocUnsafe(messageFrameBytes(subjectBytes, payload.length));
  const at = writeMessageHeader(buf, 0, fields.subject, fields);
  buf.set(payload, at);
  return buf;
}

/** Checks the type/version prefix and returns the frame type. */
export function frameType(buf: Buffer): number {
  if (buf.length < 2) throw new ProtocolError('MDB_PROTO_SHORT', `frame of ${buf.length} bytes is too short`);
  if (buf[1] !== PROTOCOL_VERSION) throw new ProtocolError('MDB_PROTO_VERSION', `protocol version ${buf[1]} is not ${PROTOCOL_VERSION}`);
  return buf[0];
}

/** The subject of a MESSAGE frame, without decoding the rest (the server's routing needs only this). */
export function messageSubject(buf: Buffer): string {
  if (buf.length < Msg.HEADER_BYTES) throw new ProtocolError('MDB_PROTO_SHORT', 'message frame shorter than its header');
  const len = buf.readUInt16BE(Msg.SUBJECT_LENGTH);
  if (Msg.HEADER_BYTES + len > buf.length) throw new ProtocolError('MDB_PROTO_SHORT', 'message subject runs past the frame');
  return buf.toString('utf8', Msg.HEADER_BYTES, Msg.HEADER_BYTES + len);
}

/** Decodes a MESSAGE frame into `out` (reused by the caller to avoid an allocation per message). */
export function decodeMessage(buf: Buffer, out: MessageFields): MessageFields {
  out.subject = messageSubject(buf);
  out.publisherId = buf.readUInt32BE(Msg.PUBLISHER_ID);
  out.seq = buf.readUInt32BE(Msg.SEQ);
  out.scheduledUs = readU64(buf, Msg.SCHEDULED_US);
  out.sentUs = readU64(buf, Msg.SENT_US);
  out.payloadBytes = buf.length - Msg.HEADER_BYTES - Buffer.byteLength(out.subject);
  return out;
}

/** SUBSCRIBE, UNSUBSCRIBE and SUBACK: `[type][version][count u16]` then `count` x `[length u16][subject]`. */
export function encodeSubjectList(type: number, subjects: readonly string[]): Buffer {
  let size = 4;
  for (const s of subjects) size += 2 + Buffer.byteLength(s);
  const buf = Buffer.allocUnsafe(size);
  buf[0] = type;
  buf[1] = PROTOCOL_VERSION;
  buf.writeUInt16BE(subjects.length, 2);
  let at = 4;
  for (const s of subjects) {
    const n = buf.write(s, at + 2, 'utf8');
    buf.writeUInt16BE(n, at);
    at += 2 + n;
  }
  return buf;
}

export function decodeSubjectList(buf: Buffer): string[] {
  if (buf.length < 4) throw new ProtocolError('MDB_PROTO_SHORT', 'subject list frame shorter than its header');
  const count = buf.readUInt16BE(2);
  const out: string[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + 2 > buf.length) throw new ProtocolError('MDB_PROTO_SHORT', 'subject list truncated');
    const n = buf.readUInt16BE(at);
    if (at + 2 + n > buf.length) throw new ProtocolError('MDB_PROTO_SHORT', 'subject runs past the frame');
    out.push(buf.toString('utf8', at + 2, at + 2 + n));
    at += 2 + n;
  }
  if (at !== buf.length) throw new ProtocolError('MDB_PROTO_TRAILING', `${buf.length - at} bytes after the subject list`);
  return out;
}

/** TIME_REQUEST `[type][version][0 u16][clientUs u64]`; TIME_RESPONSE adds `[serverUs u64]`. */
export function encodeTimeRequest(clientUs: number): Buffer {
  const buf = Buffer.alloc(12);
  buf[0] = FrameType.TIME_REQUEST;
  buf[1] = PROTOCOL_VERSION;
  writeU64(buf, clientUs, 4);
  return buf;
}

export function encodeTimeResponse(request: Buffer, serverUs: number): Buffer {
  const buf = Buffer.alloc(20);
  request.copy(buf, 0, 0, 12);
  buf[0] = FrameType.TIME_RESPONSE;
  writeU64(buf, serverUs, 12);
  return buf;
}

/** ERROR `[type][version][code u16][utf8 text]`. */
export function encodeError(code: number, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const buf = Buffer.allocUnsafe(4 + body.length);
  buf[0] = FrameType.ERROR;
  buf[1] = PROTOCOL_VERSION;
  buf.writeUInt16BE(code, 2);
  body.copy(buf, 4);
  return buf;
}
