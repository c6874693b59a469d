/**
 * The stamp mdbench-publisher puts on every message and mdbench-client reads back: which publisher,
 * which message of its subject, when it was due and when it was sent. Protocols other than the
 * native one carry it in the first bytes of the payload, in one of two forms:
 *
 * binary (28 bytes, big-endian):  `0xB5 'M' 'D' 0x01 | publisherId u32 | seq u32 | scheduledUs u64 | sentUs u64`
 * text (57 bytes, for protocols whose payload must be printable):
 *                                 `MDB1 pppppppp ssssssss tttttttttttttttt uuuuuuuuuuuuuuuu ` (lower-case hex, fixed width)
 *
 * The rest of the payload is random printable characters, so a payload is exactly MessageSize bytes.
 */
export interface Stamp {
  /** Identifies one publisher process (random u32). */
  publisherId: number;
  /** Per (publisher, subject), from 1, +1 per message. */
  seq: number;
  /** When the publisher's schedule said the message was due, µs since the epoch. */
  scheduledUs: number;
  /** When the publisher handed it to its socket, µs since the epoch. */
  sentUs: number;
}

export type StampFormat = 'binary' | 'text';

export const BINARY_STAMP_BYTES = 28;
export const TEXT_STAMP_BYTES = 57;
const MAGIC = [0xb5, 0x4d, 0x44, 0x01];
const TEXT_MAGIC = [0x4d, 0x44, 0x42, 0x31, 0x20]; // "MDB1 "
const TWO32 = 0x1_0000_0000;

export function newStamp(): Stamp {
  return { publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0 };
}

export function stampBytes(format: StampFormat): number {
  return format === 'binary' ? BINARY_STAMP_BYTES : TEXT_STAMP_BYTES;
}

function writeU64(buf: Uint8Array, at: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  const lo = v - hi * TWO32;
  buf[at] = hi >>> 24;
  buf[at + 1] = (hi >>> 16) & 0xff;
  buf[at + 2] = (hi >>> 8) & 0xff;
  buf[at + 3] = hi & 0xff;
  buf[at + 4] = lo >>> 24;
  buf[at + 5] = (lo >>> 16) & 0xff;
  buf[at + 6] = (lo >>> 8) & 0xff;
  buf[at + 7] = lo & 0xff;
}

function readU32(buf: Uint8Array, at: number): number {
  return ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
}

const HEX = '0123456789abcdef';

function writeHex(buf: Uint8Array, at: number, v: number, digits: number): void {
  for (let i = digits - 1; i >= 0; i--) {
    buf[at + i] = HEX.charCodeAt(v % 16);
    v = Math.floor(v / 16);
  }
}

/** Reads `digits` lower-case hex digits; -1 when one is not. */
function readHex(buf: Uint8Array, at: number, digits: number): number {
  let v = 0;
  for (let i = 0; i < digits; i++) {
    const c = buf[at + i];
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Writes `stamp` at `buf[at..]` in `format`; the payload must have room (see stampBytes). */
export function writeStamp(buf: Uint8Array, at: number, stamp: Stamp, format: StampFormat): void {
  if (format === 'binary') {
    for (let i = 0; i < 4; i++) buf[at + i] = MAGIC[i];
    const p = stamp.publisherId >>> 0;
    const s = stamp.seq >>> 0;
    buf[at + 4] = p >>> 24;
    buf[at + 5] = (p >>> 16) & 0xff;
    buf[at + 6] = (p >>> 8) & 0xff;
    buf[at + 7] = p & 0xff;
    buf[at + 8] = s >>> 24;
    buf[at + 9] = (s >>> 16) & 0xff;
    buf[at + 10] = (s >>> 8) & 0xff;
    buf[at + 11] = s & 0xff;
    writeU64(buf, at + 12, stamp.scheduledUs);
    writeU64(buf, at + 20, stamp.sentUs);
    return;
  }
  for (let i = 0; i < 5; i++) buf[at + i] = TEXT_MAGIC[i];
  writeHex(buf, at + 5, stamp.publisherId >>> 0, 8);
  buf[at + 13] = 0x20;
  writeHex(buf, at + 14, stamp.seq >>> 0, 8);
  buf[at + 22] = 0x20;
  writeHex(buf, at + 23, stamp.scheduledUs, 16);
  buf[at + 39] = 0x20;
  writeHex(buf, at + 40, stamp.sentUs, 16);
  buf[at + 56] = 0x20;
}

/**
 * Reads a stamp in either form from the payload `buf[at .. at+length)` into `out`. Returns false
 * when the payload carries no valid stamp (a message from someone else's publisher).
 */
export function readStamp(buf: Uint8Array, at: number, length: number, out: Stamp): boolean {
  if (length >= BINARY_STAMP_BYTES && buf[at] === MAGIC[0] && buf[at + 1] === MAGIC[1] && buf[at + 2] === MAGIC[2] && buf[at + 3] === MAGIC[3]) {
    out.publisherId = readU32(buf, at + 4);
    out.seq = readU32(buf, at + 8);
    out.scheduledUs = readU32(buf, at + 12) * TWO32 + readU32(buf, at + 16);
    out.sentUs = readU32(buf, at + 20) * TWO32 + readU32(buf, at + 24);
    return out.scheduledUs <= Number.MAX_SAFE_INTEGER && out.sentUs <= Number.MAX_SAFE_INTEGER;
  }
  if (length < TEXT_STAMP_BYTES) return false;
  for (let i = 0; i < 5; i++) if (buf[at + i] !== TEXT_MAGIC[i]) return false;
  if (buf[at + 13] !== 0x20 || buf[at + 22] !== 0x20 || buf[at + 39] !== 0x20 || buf[at + 56] !== 0x20) return false;
  const p = readHex(buf, at + 5, 8);
  const s = readHex(buf, at + 14, 8);
  const t = readHex(buf, at + 23, 16);
  const u = readHex(buf, at + 40, 16);
  if (p < 0 || s < 0 || t < 0 || u < 0 || t > Number.MAX_SAFE_INTEGER || u > Number.MAX_SAFE_INTEGER) return false;
  out.publisherId = p;
  out.seq = s;
  out.scheduledUs = t;
  out.sentUs = u;
  return true;
}
