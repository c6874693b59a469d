import { observeSeq, type IntegrityCounts, type SeqStream } from '@mdbench/core/worker';

/** Columns of a row: publisher, the subject's index on the connection, first, last, window, flags. */
const COLS = 6;
const PUB = 0;
const SUBJECT = 1;
const FIRST = 2;
const LAST = 3;
const WINDOW = 4;
const FLAGS = 5;
/** The connection was away by its own doing since this stream's last message. */
const REJOIN = 1;

/** u32 in one chunk of the rows' slab: 1 MiB. */
const CHUNK = 1 << 18;

/** A table's rows: `rows` u32 from `at` in `chunk`. */
interface Block {
  chunk: Uint32Array;
  at: number;
}

/**
 * Where the worker's StreamTables keep their rows: 1 MiB typed arrays cut into blocks of a table's
 * capacity, and a block a table outgrew kept for the next table of that capacity. A typed array per
 * table cost an ArrayBuffer and a malloc'd store each: 1,220 bytes of RSS for a table of 9 streams
 * (measured with 20,000 tables), where its rows are 216.
 */
export class RowSlab {
  private readonly chunks: Uint32Array[] = [];
  /** u32 given out of the last chunk. */
  private top = CHUNK;
  private readonly spare = new Map<number, Block[]>();

  /** A block for `rows` rows (zeroed or reused: the caller writes each row before it reads it). */
  take(rows: number): Block {
    const reused = this.spare.get(rows)?.pop();
    if (reused) return reused;
    const n = rows * COLS;
    if (n > CHUNK) return { chunk: new Uint32Array(n), at: 0 };
    if (this.top + n > CHUNK) {
      this.chunks.push(new Uint32Array(CHUNK));
      this.top = 0;
    }
    const at = this.top;
    this.top += n;
    return { chunk: this.chunks[this.chunks.length - 1], at };
  }

  /** A block of `rows` rows its table has left, for the next one of that size. */
  give(block: Block, rows: number): void {
    if (rows * COLS > CHUNK) return;
    let list = this.spare.get(rows);
    if (!list) this.spare.set(rows, (list = []));
    list.push(block);
  }

  /** Bytes held in chunks (tests). */
  get bytes(): number {
    return this.chunks.length * CHUNK * 4;
  }
}

/** Rows a table holds after `cap`: 4, 6, 9, 14, 21, ... (half as many again). */
function grown(cap: number): number {
  return cap === 0 ? 4 : Math.ceil(cap * 1.5);
}

/**
 * The sequence state of the streams a connection receives beyond its first: one row of six u32 a
 * stream in a block of the worker's RowSlab that grows by half as it fills, found by a scan. A
 * member of a room of 10 follows 9 senders: 216 bytes. A Map of string keys to stream objects took
 * about 1.7 KB (a room's client held 1.94x a listener's memory per connection with it), a typed
 * array of its own per table 1.2 KB.
 */
export class StreamTable {
  private chunk: Uint32Array | null = null;
  private at = 0;
  private cap = 0;
  private size = 0;
  private readonly slab: RowSlab;
  /** A stream loaded for observeSeq and stored back (one for all tables). */
  private static readonly cur: SeqStream = { first: 0, last: 0, window: 0 };
  /** The worker's slab, which every table uses unless given its own (tests). */
  static readonly shared = new RowSlab();

  constructor(slab: RowSlab = StreamTable.shared) {
    this.slab = slab;
  }

  /** Accounts message `seq` of (pub, subject index `subject`); a new stream starts at it (what came before it was never expected). */
  observe(pub: number, subject: number, seq: number, c: IntegrityCounts): void {
    const at = this.find(pub >>> 0, subject >>> 0);
    if (at < 0) return this.add(pub, subject, seq, c);
    const rows = this.chunk as Uint32Array;
    const s = StreamTable.cur;
    s.first = rows[at + FIRST];
    s.last = rows[at + LAST];
    s.window = rows[at + WINDOW];
    if (rows[at + FLAGS] & REJOIN) {
      rows[at + FLAGS] &= ~REJOIN;
      followAway(s, seq, c);
    } else observeSeq(s, seq, c);
    rows[at + FIRST] = s.first;
    rows[at + LAST] = s.last;
    rows[at + WINDOW] = s.window;
  }

  /** Every stream's next message counts the gap of the connection's own absence as missed offline. */
  markRejoin(): void {
    const rows = this.chunk;
    if (!rows) return;
    for (let r = 0, at = this.at; r < this.size; r++, at += COLS) rows[at + FLAGS] |= REJOIN;
  }

  /** The offset in the chunk of the row of (pub, subject), or -1. */
  private find(pub: number, subject: number): number {
    const rows = this.chunk;
    if (!rows) return -1;
    const end = this.at + this.size * COLS;
    for (let at = this.at; at < end; at += COLS) if (rows[at + PUB] === pub && rows[at + SUBJECT] === subject) return at;
    return -1;
  }

  private add(pub: number, subject: number, seq: number, c: IntegrityCounts): void {
    c.joinedAfter += Math.max(0, seq - 1);
    if (this.size === this.cap) this.grow();
    const rows = this.chunk as Uint32Array;
    const at = this.at + this.size++ * COLS;
    rows[at + PUB] = pub;
    rows[at + SUBJECT] = subject;
    rows[at + FIRST] = seq;
    rows[at + LAST] = seq;
    rows[at + WINDOW] = 0;
    rows[at + FLAGS] = 0;
  }

  private grow(): void {
    const cap = grown(this.cap);
    const block = this.slab.take(cap);
    if (this.chunk) {
      block.chunk.set(this.chunk.subarray(this.at, this.at + this.size * COLS), block.at);
      this.slab.give({ chunk: this.chunk, at: this.at }, this.cap);
    }
    this.chunk = block.chunk;
    this.at = block.at;
    this.cap = cap;
  }
}

/** Accounts `seq` on `s` right after the connection was away by its own doing: the gap it shows is missed offline, not lost. */
export function followAway(stream: SeqStream, seq: number, c: IntegrityCounts): void {
  const gaps = c.gaps;
  observeSeq(stream, seq, c);
  c.missedOffline += Math.max(0, c.gaps - gaps);
  c.gaps = Math.min(c.gaps, gaps);
}
