import { HandshakeError } from '../ws/handshake.js';
import { EventStream } from './event-stream.js';
import { readResponseHead } from './http-head.js';

/** Most bytes of a response body read (and thrown away) for an HTTP publisher. */
const MAX_BODY_BYTES = 1 << 20;

const IGNORE = { onEvent(): void {} };

/**
 * The responses to requests sent one after another on a keep-alive connection (HTTP/1.1
 * pipelining, as an HTTP publisher's POSTs): each response's status is reported in order and its
 * body (by Content-Length or chunked) skipped. Bounded: a head over 16 KiB or a body over 1 MiB is
 * an error.
 */
export class ResponseReader {
  /** Bytes of a head not yet whole. */
  private held: Buffer | null = null;
  /** Bytes of a Content-Length body still to skip. */
  private bodyLeft = 0;
  /** A chunked body being skipped (its decoder), or null. */
  private chunked: EventStream | null = null;

  /** Reads `buf[start..end)`, calling `onStatus` for each response head; throws HandshakeError for what is not HTTP. */
  push(buf: Buffer, start: number, end: number, onStatus: (status: number) => void): void {
    let data = buf;
    let i = start;
    let stop = end;
    if (this.held) {
      data = Buffer.concat([this.held, buf.subarray(start, end)]);
      this.held = null;
      i = 0;
      stop = data.length;
    }
    while (i < stop) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, stop - i);
        this.bodyLeft -= n;
        i += n;
        continue;
      }
      if (this.chunked) {
        i = this.chunked.push(data, i, stop, IGNORE);
        if (this.chunked.ended) this.chunked = null;
        continue;
      }
      const head = readResponseHead(data, i);
      if (head === null) {
        this.held = Buffer.from(data.subarray(i, stop));
        return;
      }
      i += head.headBytes;
      onStatus(head.status);
      const coding = head.headers.get('transfer-encoding')?.toLowerCase();
      if (coding === 'chunked') this.chunked = new EventStream(true, 1024, MAX_BODY_BYTES, true);
      else {
        const length = Number(head.headers.get('content-length') ?? '0');
        if (!Number.isSafeInteger(length) || length < 0 || length > MAX_BODY_BYTES)
          throw new HandshakeError(`response body of ${head.headers.get('content-length')} bytes`);
        this.bodyLeft = length;
      }
    }
  }
}
