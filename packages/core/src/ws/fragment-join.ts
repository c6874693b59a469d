import { CloseCode, WsProtocolError } from './frames.js';

/** The frames of one fragmented message while they arrive (RFC 6455 section 5.4): copied, since each frame's bytes are a view into a read buffer. */
export class FragmentJoin {
  private readonly parts: Buffer[];
  private bytes: number;

  constructor(
    readonly opcode: number,
    /** The first frame had RSV1 set: the whole message is compressed. */
    readonly compressed: boolean,
    first: Buffer,
  ) {
    this.parts = [Buffer.from(first)];
    this.bytes = first.length;
  }

  /** Adds a continuation frame: the whole message after the last one (`fin`), else null; over `maxPayload` bytes together is a protocol error. */
  add(payload: Buffer, fin: boolean, maxPayload: number): Buffer | null {
    this.bytes += payload.length;
    if (this.bytes > maxPayload) throw new WsProtocolError(`fragmented message over the ${maxPayload}-byte limit`, CloseCode.TOO_BIG);
    this.parts.push(Buffer.from(payload));
    return fin ? Buffer.concat(this.parts, this.bytes) : null;
  }
}
