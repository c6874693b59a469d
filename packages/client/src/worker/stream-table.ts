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

/**
 * The sequence state of the streams a connection receives beyond its first: one row of six u32 a
 * stream in one typed array that doubles as it fills, found by a scan. A member of a room of 10
 * follows 9 senders: 216 bytes here, where a Map of string keys to stream objects took about 1.7 KB
 * (a room's client held 1.94x a listener's memory per connection with it).
 */
export class StreamTable {
  private rows: Uint32Array | null = null;
  private size = 0;
  /** A stream loaded for observeSeq and stored back (one for all tables). */
  private static readonly cur: SeqStream = { first: 0, last: 0, window: 0 };

  /** Accounts message `seq` of (pub, subject index `subject`); a new stream starts at it (what came before it was never expected). */
  observe(pub: number, subject: number, seq: number, c: IntegrityCounts): void {
    const r = this.find(pub >>> 0, subject >>> 0);
    if (r < 0) return this.add(pub, subject, seq, c);
    const rows = this.rows as Uint32Array;
    const at = r * COLS;
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
    const rows = this.rows;
    if (!rows) return;
    for (let r = 0; r < this.size; r++) rows[r * COLS + FLAGS] |= REJOIN;
  }

  private find(pub: number, subject: number): number {
    const rows = this.rows;
    if (!rows) return -1;
    for (let r = 0, at = 0; r < this.size; r++, at += COLS) if (rows[at + PUB] === pub && rows[at + SUBJECT] === subject) return r;
    return -1;
  }

  private add(pub: number, subject: number, seq: number, c: IntegrityCounts): void {
    c.joinedAfter += Math.max(0, seq - 1);
    let rows = this.rows;
    if (!rows || (this.size + 1) * COLS > rows.length) {
      const grown = new Uint32Array(Math.max(4, this.size * 2) * COLS);
      if (rows) grown.set(rows);
      this.rows = rows = grown;
    }
    const at = this.size++ * COLS;
    rows[at + PUB] = pub;
    rows[at + SUBJECT] = subject;
    rows[at + FIRST] = seq;
    rows[at + LAST] = seq;
    rows[at + WINDOW] = 0;
    rows[at + FLAGS] = 0;
  }
}

/** Accounts `seq` on `s` right after the connection was away by its own doing: the gap it shows is missed offline, not lost. */
export function followAway(stream: SeqStream, seq: number, c: IntegrityCounts): void {
  const gaps = c.gaps;
  observeSeq(stream, seq, c);
  c.missedOffline += Math.max(0, c.gaps - gaps);
  c.gaps = Math.min(c.gaps, gaps);
}
