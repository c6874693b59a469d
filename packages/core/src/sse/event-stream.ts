/**
 * A text/event-stream reader (the WHATWG HTML "server-sent events" grammar) for a connection's
 * response body, with HTTP/1.1 chunked transfer coding undone first when the response used it.
 * Built for hundreds of thousands of idle streams: one small object per connection, no timers, no
 * closures, and every buffer bounded: a line longer than `maxLine` bytes or an event's data over
 * `maxEvent` bytes is an error (the connection is dropped and counted), never a growing buffer.
 */

/** What a stream's events mean to its owner (one object for every stream of a process). */
export interface EventSink {
  /** A whole event with data: its `data` (lines joined with LF; valid only during the call) and its id, or null. */
  onEvent(data: Buffer, id: string | null): void;
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
  /** The data lines of the event not yet dispatched. */
  private data: Buffer[] | null = null;
  private dataBytes = 0;
  private eventId: string | null = null;
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
      if (this.chunk === Chunk.DONE) return i;
      const b = buf[i++];
      if (b !== LF) {
        if (b !== CR) this.sizeLine += String.fromCharCode(b);
        if (this.sizeLine.length > 1024) throw new EventStreamError('chunk size line over 1,024 bytes');
        continue;
      }
      this.chunkLine();
    }
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

  /** Event-stream text: splits lines at CR, LF or CRLF. */
  private text(buf: Buffer, start: number, end: number, sink: EventSink): void {
    let i = start;
    if (this.afterCr && i < end) {
      this.afterCr = false;
      if (buf[i] === LF) i++;
    }
    let from = i;
    for (; i < end; i++) {
      const b = buf[i];
      if (b !== LF && b !== CR) continue;
      this.lineOf(buf, from, i, sink);
      if (b === CR) {
        if (i + 1 < end) {
          if (buf[i + 1] === LF) i++;
        } else this.afterCr = true;
      }
      from = i + 1;
    }
    if (from < end) {
      const rest = buf.subarray(from, end);
      const held = this.line ? this.line.length : 0;
      if (held + rest.length > this.maxLine) throw new EventStreamError(`event-stream line over ${this.maxLine} bytes`);
      // A copy: `buf` is the process's shared read buffer.
      this.line = this.line ? Buffer.concat([this.line, rest]) : Buffer.from(rest);
    }
  }

  /** One whole line: `buf[from..to)` after what was held of it. */
  private lineOf(buf: Buffer, from: number, to: number, sink: EventSink): void {
    let line = buf.subarray(from, to);
    if (this.line) {
      if (this.line.length + line.length > this.maxLine) throw new EventStreamError(`event-stream line over ${this.maxLine} bytes`);
      line = Buffer.concat([this.line, line]);
      this.line = null;
    }
    if (line.length === 0) {
      this.dispatch(sink);
      return;
    }
    if (line[0] === COLON) return; // a comment (keepalive)
    const colon = line.indexOf(COLON);
    const name = colon < 0 ? line.toString('latin1') : line.toString('latin1', 0, colon);
    let v = colon < 0 ? line.length : colon + 1;
    if (v < line.length && line[v] === 0x20) v++;
    switch (name) {
      case 'data': {
        const value = line.subarray(v);
        this.dataBytes += value.length + (this.data ? 1 : 0);
        if (this.dataBytes > this.maxEvent) throw new EventStreamError(`event data over ${this.maxEvent} bytes`);
        // A copy: the event may end in a later read, and the read buffer is the process's.
        (this.data ??= []).push(Buffer.from(value));
        return;
      }
      case 'id': {
        const id = line.toString('utf8', v);
        if (!id.includes('\0')) this.eventId = id;
        return;
      }
      case 'retry': {
        const text = line.toString('latin1', v);
        if (/^\d{1,9}$/.test(text)) sink.onRetry?.(Number(text));
        return;
      }
      default:
        return; // `event` and unknown fields: the message is the data
    }
  }

  private dispatch(sink: EventSink): void {
    if (this.eventId !== null) this.lastId = this.eventId;
    this.eventId = null;
    const parts = this.data;
    this.data = null;
    this.dataBytes = 0;
    if (parts === null) return;
    sink.onEvent(parts.length === 1 ? parts[0] : joinLines(parts), this.lastId);
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
