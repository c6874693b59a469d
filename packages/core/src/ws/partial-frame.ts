/**
 * The unfinished frame of a connection, kept as a list of chunks and joined once when it is whole,
 * so a large frame arriving in many reads costs linear time (re-joining what is held at every read
 * is quadratic). Its size is bounded by the frame reader: a header declaring more than the limit is
 * refused before the payload arrives, so at most `maxPayload` + 14 bytes are ever held.
 */
export class PartialFrame {
  private readonly parts: Buffer[];
  private bytes: number;
  /** Bytes of the whole frame, or 0 while its header is incomplete. */
  private readonly need: number;

  constructor(first: Buffer, masked: boolean) {
    this.parts = [first];
    this.bytes = first.length;
    this.need = frameBytes(first, masked);
  }

  /** Bytes held. */
  get heldBytes(): number {
    return this.bytes;
  }

  /**
   * Adds a chunk (which the caller must not reuse); returns everything held, joined, once the frame
   * is whole or its header can be read again, else null.
   */
  push(chunk: Buffer): Buffer | null {
    this.parts.push(chunk);
    this.bytes += chunk.length;
    if (this.need !== 0 && this.bytes < this.need) return null;
    return Buffer.concat(this.parts, this.bytes);
  }
}

/** Bytes the frame at the start of `data` takes in all (header, mask key, payload), or 0 when its header is incomplete. */
export function frameBytes(data: Buffer, masked: boolean): number {
  if (data.length < 2) return 0;
  const mask = masked ? 4 : 0;
  const len = data[1] & 0x7f;
  if (len < 126) return 2 + mask + len;
  if (len === 126) return data.length < 4 ? 0 : 4 + mask + data.readUInt16BE(2);
  if (data.length < 10) return 0;
  return 10 + mask + data.readUInt32BE(2) * 0x1_0000_0000 + data.readUInt32BE(6);
}
