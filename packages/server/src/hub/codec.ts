/**
 * Framing of the hub link between server workers and the primary: `[u32 length][u8 kind][body]`,
 * length counting kind and body. Binary and batched, far cheaper per message than JSON IPC.
 *
 * worker -> primary: HELLO (u16 worker id), PUBLISH (a native MESSAGE), INTEREST_ADD / INTEREST_DEL (subject).
 * primary -> worker: PUBLISH (from another worker), LOCAL_ONLY (subject: no other worker holds a
 * subscriber, stop forwarding it), REMOTE (subject: another worker now does, forward it again).
 */
export const HubKind = { HELLO: 1, PUBLISH: 2, INTEREST_ADD: 3, INTEREST_DEL: 4, LOCAL_ONLY: 5, REMOTE: 6 } as const;

export function encodeHub(kind: number, body: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(5 + body.length);
  buf.writeUInt32BE(1 + body.length, 0);
  buf[4] = kind;
  body.copy(buf, 5);
  return buf;
}

/** Reassembles hub frames from a byte stream. */
export class HubReader {
  private pending: Buffer | null = null;
  private readonly onFrame: (kind: number, body: Buffer) => void;

  constructor(onFrame: (kind: number, body: Buffer) => void) {
    this.onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (data.length - at >= 4) {
      const len = data.readUInt32BE(at);
      if (data.length - at - 4 < len) break;
      this.onFrame(data[at + 4], data.subarray(at + 5, at + 4 + len));
      at += 4 + len;
    }
    this.pending = at < data.length ? Buffer.from(data.subarray(at)) : null;
  }
}

/** Collects outgoing frames and writes them in one call per event-loop turn. */
export class HubBatcher {
  private chunks: Buffer[] = [];
  private scheduled = false;
  private readonly write: (data: Buffer) => void;

  constructor(write: (data: Buffer) => void) {
    this.write = write;
  }

  push(frame: Buffer): void {
    this.chunks.push(frame);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.chunks.length === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [];
    this.write(data);
  };
}
