import { newStamp, writeStamp } from '../protocol/stamp.js';

/**
 * A text/event-stream reader (the WHATWG HTML "server-sent events" grammar) for a connection's
 * response body, with HTTP/1.1 chunked transfer coding undone first when the response used it.
 * Built for hundreds of thousands of idle streams: one small object per connection, no timers, no
 * closures, and every buffer bounded: a line longer than `maxLine` bytes or an event's data over
 * `maxEvent` bytes is an error (the connection is dropped and counted), never a growing buffer.
 */

/** What a stream's events mean to its owner (one object for every stream of a process). */
export interface EventSink {
  /** A whole event with data: its `data` (lines joined with LF; valid only during the call). `lastId` is current after `push` returns. */
  onEvent(data: Buffer): void;
  /** The server's `retry:` field, in ms. */
  onRetry?(ms: number): void;
}

/** A body the reader refuses: bounds passed, or chunked coding that does not parse. */
export class EventStreamError extends Error {}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/** Chunked decoding states. */
const Chunk = { SIZE: 0, DATA: 1, DATA_END: 2, TRAILER: 3, DONE: 4 } as const;

export class EventStream {
  /** The id of the last event with one (`Last-Event-ID` on a reconnect), or null. */
  lastId: string | null = null;
  /** Bytes of a line not yet ended (the first bytes of a chunked size line, too). */
  private line: Buffer | null = null;
  /** The data lines of the event not yet dispatched (views into the current read until `settle`); made at the first data line, then reused. */
  private parts: Buffer[] | null = null;
  private dataBytes = 0;
  /** The id field of the event being read (`idBuf[idFrom..idTo)`), and the id of the last event dispatched in this read. */
  private idBuf: Buffer | null = null;
  private idFrom = 0;
  private idTo = 0;
  private lastIdBuf: Buffer | null = null;
  private lastIdFrom = 0;
  private lastIdTo = 0;
  /** A CR ended the last line: a LF right after it belongs to it. */
  private afterCr = false;
  /** Chunked: the state, and the bytes left in the current chunk. */
  private chunk: number;
  private chunkLeft = 0;
  private sizeLine = '';
  private readonly maxLine: number;
  private readonly maxEvent: number;
  /** The body is only skipped (an HTTP publisher's responses): chunk data is not read as events. */
  private readonly skip: boolean;

  constructor(chunked: boolean, maxLine: number, maxEvent: number, skip = false) {
    this.chunk = chunked ? Chunk.SIZE : -1;
    this.maxLine = maxLine;
    this.maxEvent = maxEvent;
    this.skip = skip;
  }

  /** The body ended cleanly (chunked: the last chunk came). */
  get ended(): boolean {
    return this.chunk === Chunk.DONE;
  }

  /**
   * Reads `buf[start..end)` and returns where it stopped: `end`, or just after the last chunk of a
   * chunked body. Throws EventStreamError for a body past the bounds. `buf` may be reused after the call.
   */
  push(buf: Buffer, start: number, end: number, sink: EventSink): number {
    if (this.chunk < 0) {
      this.text(buf, start, end, sink);
      this.settle();
      return end;
    }
    let i = start;
    while (i < end) {
      if (this.chunk === Chunk.DATA) {
        const n = Math.min(this.chunkLeft, end - i);
        if (!this.skip) this.text(buf, i, i + n, sink);
        i += n;
        this.chunkLeft -= n;
        if (this.chunkLeft === 0) this.chunk = Chunk.DATA_END;
        continue;
      }
      if (this.chunk === Chunk.DONE) break;
      const b = buf[i++];
      if (b !== LF) {
        if (b !== CR) this.sizeLine += String.fromCharCode(b);
        if (this.sizeLine.length > 1024) throw new EventStreamError('chunk size line over 1,024 bytes');
        continue;
      }
      this.chunkLine();
    }
    this.settle();
    return i;
  }

  /** A chunked framing line ended (size, the CRLF after a chunk's data, a trailer). */
  private chunkLine(): void {
    const lineText = this.sizeLine;
    this.sizeLine = '';
    if (this.chunk === Chunk.DATA_END) {
      if (lineText !== '') throw new EventStreamError('chunk data longer than its size');
      this.chunk = Chunk.SIZE;
      return;
    }
    if (this.chunk === Chunk.TRAILER) {
      if (lineText === '') this.chunk = Chunk.DONE;
      return;
    }
    const m = /^([0-9a-fA-F]{1,8})\s*(;.*)?$/.exec(lineText);
    if (!m) throw new EventStreamError(`malformed chunk size ${JSON.stringify(lineText.slice(0, 20))}`);
    this.chunkLeft = Number.parseInt(m[1], 16);
    this.chunk = this.chunkLeft === 0 ? Chunk.TRAILER : Chunk.DATA;
  }

  /** Event-stream text: splits lines at CR, LF or CRLF (found by the native indexOf: a CR is rare). */
  private text(buf: Buffer, start: number, end: number, sink: EventSink): void {
    let i = start;
    if (this.afterCr && i < end) {
      this.afterCr = false;
      if (buf[i] === LF) i++;
    }
    let cr = buf.indexOf(CR, i);
    if (cr >= end) cr = -1;
    while (i < end) {
      let lf = buf.indexOf(LF, i);
      if (lf >= end) lf = -1;
      if (cr >= 0 && cr < i) {
        cr = buf.indexOf(CR, i);
        if (cr >= end) cr = -1;
      }
      const eol = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (eol < 0) break;
      this.lineOf(buf, i, eol, sink);
      i = eol + 1;
      if (eol === cr) {
        if (i < end) {
          if (buf[i] === LF) i++;
        } else this.afterCr = true;
      }
    }
    if (i < end) {
      const rest = buf.subarray(i, end);
      const held = this.line ? this.line.length : 0;
      if (held + rest.length > this.maxLine) throw new EventStreamError(`event-stream line over ${this.maxLine} bytes`);
      // A copy: `buf` is the process's shared read buffer.
      this.line = this.line ? Buffer.concat([this.line, rest]) : Buffer.from(rest);
    }
  }

  /** One whole line: `buf[from..to)` after what was held of it. Fields are told by their bytes: no string, one view per event. */
  private lineOf(buf: Buffer, from: number, to: number, sink: EventSink): void {
    if (this.line) {
      if (this.line.length + to - from > this.maxLine) throw new EventStreamError(`event-stream line over ${this.maxLine} bytes`);
      buf = Buffer.concat([this.line, buf.subarray(from, to)]);
      from = 0;
      to = buf.length;
      this.line = null;
    }
    const n = to - from;
    if (n === 0) {
      this.dispatch(sink);
      return;
    }
    if (buf[from] === COLON) return; // a comment (keepalive)
    let colon = buf.indexOf(COLON, from);
    if (colon < 0 || colon > to) colon = to;
    let v = colon + 1;
    if (v < to && buf[v] === 0x20) v++;
    if (v > to) v = to;
    const name = colon - from;
    if (name === 4 && buf[from] === 0x64 && buf[from + 1] === 0x61 && buf[from + 2] === 0x74 && buf[from + 3] === 0x61) {
      // data: a view for now, copied at the end of the read if the event is still open then (settle)
      const parts = (this.parts ??= []);
      this.dataBytes += to - v + (parts.length > 0 ? 1 : 0);
      if (this.dataBytes > this.maxEvent) throw new EventStreamError(`event data over ${this.maxEvent} bytes`);
      parts.push(buf.subarray(v, to));
      return;
    }
    if (name === 2 && buf[from] === 0x69 && buf[from + 1] === 0x64) {
      // id: one with a NUL is ignored, as HTML has it
      for (let k = v; k < to; k++) if (buf[k] === 0) return;
      this.idBuf = buf;
      this.idFrom = v;
      this.idTo = to;
      return;
    }
    if (name === 5 && buf.toString('latin1', from, colon) === 'retry') {
      const text = buf.toString('latin1', v, to);
      if (/^\d{1,9}$/.test(text)) sink.onRetry?.(Number(text));
    }
    // `event` and unknown fields: the message is the data
  }

  private dispatch(sink: EventSink): void {
    if (this.idBuf !== null) {
      this.lastIdBuf = this.idBuf;
      this.lastIdFrom = this.idFrom;
      this.lastIdTo = this.idTo;
      this.idBuf = null;
    }
    const parts = this.parts;
    this.dataBytes = 0;
    if (parts === null || parts.length === 0) return;
    const data = parts.length === 1 ? parts[0] : joinLines(parts);
    parts.length = 0;
    sink.onEvent(data);
  }

  /**
   * The end of a read: what still points into the read buffer (an open event's data lines, its id,
   * the last id seen) is copied or turned into a string, once per read rather than once per event.
   */
  private settle(): void {
    if (this.lastIdBuf !== null) {
      this.lastId = this.lastIdBuf.toString('utf8', this.lastIdFrom, this.lastIdTo);
      this.lastIdBuf = null;
    }
    const parts = this.parts;
    if (parts !== null) for (let k = 0; k < parts.length; k++) parts[k] = Buffer.from(parts[k]);
    if (this.idBuf !== null) {
      this.idBuf = Buffer.from(this.idBuf.subarray(this.idFrom, this.idTo));
      this.idFrom = 0;
      this.idTo = this.idBuf.length;
    }
  }
}

function joinLines(parts: Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out.push(Buffer.from([LF]));
    out.push(parts[i]);
  }
  return Buffer.concat(out);
}

/**
 * Runs `n` text-stamped events (512-byte data, sent at `nowUs`) through an event-stream reader to
 * `onData`: a client's measuring path compiled before its first real stream.
 */
export function warmEventStream(count: number, nowUs: number, onData: (data: Buffer) => void): void {
  const stamp = newStamp();
  stamp.publisherId = 1;
  stamp.scheduledUs = stamp.sentUs = nowUs;
  const perRead = 64;
  const data = Buffer.alloc(512, 0x61);
  const stream = new EventStream(false, 64 * 1024, 1 << 20);
  const sink = { onEvent: onData };
  for (let done = 0; done < count; done += perRead) {
    const events: Buffer[] = [];
    for (let k = 1; k <= perRead; k++) {
      stamp.seq = done + k;
      writeStamp(data, 0, stamp, 'text');
      events.push(Buffer.from(`id: 1-${stamp.seq}\n`), Buffer.from('data: '), data, Buffer.from('\n\n'));
    }
    const read = Buffer.concat(events);
    stream.push(read, 0, read.length, sink);
  }
}
