/**
 * The unfinished tail of a protocol stream split across WebSocket messages (a NATS MSG, an MQTT
 * packet, a STOMP frame), for the text and length-prefixed protocols: kept as a list of chunks and
 * joined once the unit it starts is whole, so a large unit arriving in many small messages costs
 * linear time, not the quadratic re-joining and re-parsing of everything held at each message.
 * Bounded: a unit that declares more than MAX_UNIT_BYTES is refused by its parser before its bytes
 * arrive, and a tail is never kept beyond that.
 */

/** Largest protocol unit (message with its headers) accepted from a server: 16 MiB. */
export const MAX_UNIT_BYTES = 16 * 1024 * 1024;

/** What a parser says about the unfinished unit at the end of its input. */
export interface Unfinished {
  /** Where the unfinished unit starts in the parsed buffer (its length when nothing is left). */
  at: number;
  /** Bytes the whole unit takes from `at` when its size is known (a MSG line, a packet's length), else 0. */
  unitBytes: number;
}

/** A kept tail: its chunks, their total, and the bytes needed before parsing again (0: at the next message). */
export class Carry {
  private parts: Buffer[];
  private bytes: number;
  private readonly needBytes: number;

  constructor(first: Buffer, needBytes: number) {
    this.parts = [first];
    this.bytes = first.length;
    this.needBytes = needBytes;
  }

  /** Bytes held. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Adds `data` (which may be reused by the caller: it is copied while held); the joined bytes once enough has arrived, else null. */
  add(data: Buffer): Buffer | null {
    if (this.bytes + data.length < this.needBytes) {
      this.parts.push(Buffer.from(data));
      this.bytes += data.length;
      return null;
    }
    this.parts.push(data);
    return Buffer.concat(this.parts, this.bytes + data.length);
  }
}

/** Where a session keeps its tail: `Session.carry` (typed loosely, plug-ins keep a Buffer there). */
export interface CarryHolder {
  carry: unknown;
}

/** The bytes to parse now: the kept tail joined with `data`, or null while the unit is still incomplete. */
export function withCarry(holder: CarryHolder, data: Buffer): Buffer | null {
  const c = holder.carry;
  if (!(c instanceof Carry)) return data;
  const joined = c.add(data);
  if (joined !== null) holder.carry = null;
  return joined;
}

/**
 * Keeps what a parser left unfinished in `buf` (a copy: `buf` may be a shared read buffer) for the
 * next message; nothing when it consumed everything.
 */
export function keepCarry(holder: CarryHolder, buf: Buffer, u: Unfinished): void {
  if (u.at >= buf.length) {
    holder.carry = null;
    return;
  }
  holder.carry = new Carry(Buffer.from(buf.subarray(u.at)), u.unitBytes);
}
