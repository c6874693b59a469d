import { fillRandom } from './random-pool.js';
import { ProtocolError } from '../errors.js';

/** WebSocket opcodes (RFC 6455 section 5.2). */
export const Opcode = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

/** Close status codes used by mdbench. */
export const CloseCode = { NORMAL: 1000, GOING_AWAY: 1001, PROTOCOL_ERROR: 1002, UNSUPPORTED: 1003, INVALID_DATA: 1007, POLICY: 1008, TOO_BIG: 1009 } as const;

/** How the client masks its frames: random keys as RFC 6455 requires, or an all-zero key that skips the XOR. */
export type MaskMode = 'random' | 'zero';

/** A WebSocket frame the receiver must refuse; the connection is closed with `closeCode`. */
export class WsProtocolError extends ProtocolError {
  /** Close code to send before closing. */
  readonly closeCode: number;
  constructor(message: string, closeCode: number = CloseCode.PROTOCOL_ERROR) {
    super('MDB_WS_PROTOCOL', message);
    this.name = 'WsProtocolError';
    this.closeCode = closeCode;
  }
}

/** Bytes of a masked client frame header for a payload of `n` bytes. */
export function clientHeaderBytes(payloadLength: number): number {
  return (payloadLength < 126 ? 2 : payloadLength < 0x10000 ? 4 : 10) + 4;
}

/**
 * Writes a masked client frame header at `offset` for a payload of `n` bytes that follows it, and
 * masks that payload in place (unless the mask is zero). Returns the offset where the payload starts.
 */
export function writeClientHeader(buf: Buffer, offset: number, opcode: number, n: number, mask: MaskMode): number {
  buf[offset] = 0x80 | opcode;
  let at = offset + 2;
  if (n < 126) {
    buf[offset + 1] = 0x80 | n;
  } else if (n < 0x10000) {
    buf[offset + 1] = 0x80 | 126;
    buf.writeUInt16BE(n, at);
    at += 2;
  } else {
    buf[offset + 1] = 0x80 | 127;
    buf.writeUInt32BE(Math.floor(n / 0x1_0000_0000), at);
    buf.writeUInt32BE(n >>> 0, at + 4);
    at += 8;
  }
  if (mask === 'zero') {
    buf.writeUInt32BE(0, at);
  } else {
    fillRandom(buf, at, 4);
    applyMask(buf, at + 4, n, buf, at);
  }
  return at + 4;
}

/** XORs `n` bytes of `buf` from `offset` with the 4-byte key at `key[keyAt]`. */
function applyMask(buf: Buffer, offset: number, n: number, key: Buffer, keyAt: number): void {
  const k0 = key[keyAt];
  const k1 = key[keyAt + 1];
  const k2 = key[keyAt + 2];
  const k3 = key[keyAt + 3];
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const p = offset + i;
    buf[p] ^= k0;
    buf[p + 1] ^= k1;
    buf[p + 2] ^= k2;
    buf[p + 3] ^= k3;
  }
  for (; i < n; i++) buf[offset + i] ^= key[keyAt + (i & 3)];
}

/** A whole masked client frame carrying `payload`; `compressed` sets RSV1 (permessage-deflate). */
export function encodeClientFrame(opcode: number, payload: Uint8Array, mask: MaskMode = 'random', compressed = false): Buffer {
  const head = clientHeaderBytes(payload.length);
  const buf = Buffer.allocUnsafe(head + payload.length);
  buf.set(payload, head);
  writeClientHeader(buf, 0, opcode, payload.length, mask);
  if (compressed) buf[0] |= 0x40;
  return buf;
}

/** A close frame body: status code and reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const buf = Buffer.allocUnsafe(2 + Buffer.byteLength(reason));
  buf.writeUInt16BE(code, 0);
  buf.write(reason, 2, 'utf8');
  return buf;
}

/** Receives the frames a reader finds. `payload` is a view valid only during the call. */
export interface FrameSink {
  /** `compressed`: RSV1 set on a message's first frame (permessage-deflate); only when `deflate` was passed to the reader. */
  onFrame(fin: boolean, opcode: number, payload: Buffer, compressed: boolean): void;
}

/**
 * Parses as many complete frames from `data` as it holds and returns how many bytes they took; the
 * rest is an incomplete frame to be kept for the next chunk. `masked` says which side sent them:
 * client frames must be masked (and are unmasked in place), server frames must not be. Throws
 * WsProtocolError on a frame the receiver must refuse: wrong masking, reserved bits set, unknown
 * opcode, a bad control frame, or a payload over `maxPayload` (found from the header alone, before
 * the payload arrives). With `deflate` (permessage-deflate negotiated) RSV1 marks a compressed message
 * on its first data frame; it is refused on control and continuation frames.
 */
export function readFrames(data: Buffer, start: number, end: number, maxPayload: number, masked: boolean, sink: FrameSink, deflate = false): number {
  let at = start;
  const maskBytes = masked ? 4 : 0;
  while (end - at >= 2) {
    const b0 = data[at];
    const b1 = data[at + 1];
    const compressed = (b0 & 0x40) !== 0;
    if (b0 & 0x30 || (compressed && !deflate)) throw new WsProtocolError('reserved bits set in a frame (no extension was negotiated)');
    if ((b1 & 0x80) === 0 && masked) throw new WsProtocolError('client frame is not masked');
    if ((b1 & 0x80) !== 0 && !masked) throw new WsProtocolError('server frame is masked');
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if (opcode > 0x2 && (opcode < 0x8 || opcode > 0xa)) throw new WsProtocolError(`unknown opcode 0x${opcode.toString(16)}`);
    let len = b1 & 0x7f;
    let head = 2;
    if (len === 126) {
      if (end - at < 4) break;
      len = data.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      if (end - at < 10) break;
      const hi = data.readUInt32BE(at + 2);
      if (hi > 0x1fffff) throw new WsProtocolError('frame length beyond 2^53', CloseCode.TOO_BIG);
      len = hi * 0x1_0000_0000 + data.readUInt32BE(at + 6);
      head = 10;
    }
    if (compressed && (opcode === 0 || opcode >= 0x8)) throw new WsProtocolError('RSV1 set on a control or continuation frame');
    if (opcode >= 0x8 && (!fin || len > 125)) throw new WsProtocolError('control frame fragmented or longer than 125 bytes');
    if (len > maxPayload) throw new WsProtocolError(`frame of ${len} bytes exceeds the ${maxPayload}-byte limit`, CloseCode.TOO_BIG);
    const body = at + head + maskBytes;
    if (end - body < len) break;
    if (masked) applyMask(data, body, len, data, at + head);
    sink.onFrame(fin, opcode, data.subarray(body, body + len), compressed);
    at = body + len;
  }
  return at - start;
}

/** Server frames (unmasked), as a client reads them. */
export function readServerFrames(data: Buffer, start: number, end: number, maxPayload: number, sink: FrameSink, deflate = false): number {
  return readFrames(data, start, end, maxPayload, false, sink, deflate);
}

/** Bytes of an unmasked server frame header for a payload of `n` bytes. */
export function serverHeaderBytes(payloadLength: number): number {
  return payloadLength < 126 ? 2 : payloadLength < 0x10000 ? 4 : 10;
}

/** Writes an unmasked server frame header at `offset`; returns the offset where the payload goes. */
function writeServerHeader(buf: Buffer, offset: number, opcode: number, n: number): number {
  buf[offset] = 0x80 | opcode;
  if (n < 126) {
    buf[offset + 1] = n;
    return offset + 2;
  }
  if (n < 0x10000) {
    buf[offset + 1] = 126;
    buf.writeUInt16BE(n, offset + 2);
    return offset + 4;
  }
  buf[offset + 1] = 127;
  buf.writeUInt32BE(Math.floor(n / 0x1_0000_0000), offset + 2);
  buf.writeUInt32BE(n >>> 0, offset + 6);
  return offset + 10;
}

/** A whole unmasked server frame carrying `payload` (built once, written to every subscriber); `compressed` sets RSV1. */
export function encodeServerFrame(opcode: number, payload: Uint8Array, compressed = false): Buffer {
  const buf = Buffer.allocUnsafe(serverHeaderBytes(payload.length) + payload.length);
  buf.set(payload, writeServerHeader(buf, 0, opcode, payload.length));
  if (compressed) buf[0] |= 0x40;
  return buf;
}
