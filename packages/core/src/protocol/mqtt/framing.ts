/**
 * MQTT's fixed header: one byte of type and flags, then the remaining length as a variable byte
 * integer of 1 to 4 bytes (MQTT 3.1.1 section 2.2.3, 5.0 section 1.5.5). This is all a stream needs
 * to be cut into whole packets; mqtt-packet decodes each packet's contents.
 */

/** End offset of the packet starting at `buf[at]`; -1 when it has not arrived whole; -2 when the length is malformed. */
export function packetEnd(buf: Uint8Array, at: number): number {
  let len = 0;
  let mul = 1;
  for (let i = 1; i <= 4; i++) {
    if (at + i >= buf.length) return -1;
    const b = buf[at + i];
    len += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      const end = at + 1 + i + len;
      return end <= buf.length ? end : -1;
    }
    mul *= 128;
  }
  return -2;
}

/** Bytes the packet starting at `buf[at]` takes in all, or 0 while its remaining length has not arrived whole (or is malformed). */
export function packetBytes(buf: Uint8Array, at: number): number {
  let len = 0;
  let mul = 1;
  for (let i = 1; i <= 4 && at + i < buf.length; i++) {
    const b = buf[at + i];
    len += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return 1 + i + len;
    mul *= 128;
  }
  return 0;
}

/** Bytes of `n` as a variable byte integer. */
export function varIntBytes(value: number): number {
  return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
}

/** Writes `n` as a variable byte integer at `buf[at]`; returns the offset after it. */
export function writeVarInt(buf: Uint8Array, at: number, n: number): number {
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    buf[at++] = b;
  } while (n > 0);
  return at;
}
