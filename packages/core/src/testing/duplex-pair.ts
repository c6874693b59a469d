import { Duplex } from 'node:stream';

/**
 * One end of an in-memory connection: what it writes the other end reads, with a socket's
 * backpressure (a write waits while the other end's reader is full, so `writableLength` grows
 * towards a peer that does not read), its end and its destruction; `setNoDelay` as a socket's.
 */
export class PairEnd extends Duplex {
  other: PairEnd | null = null;
  private waiting: (() => void) | null = null;
  private eofSent = false;

  override _read(): void {
    const writer = this.other;
    const go = writer?.waiting;
    if (writer && go) {
      writer.waiting = null;
      go();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const other = this.other;
    if (!other || other.destroyed || other.eofSeen) {
      done();
      return;
    }
    if (other.push(chunk)) done();
    else this.waiting = done;
  }

  private get eofSeen(): boolean {
    return this.other?.eofSent ?? true;
  }

  /** Our side ends: the other end reads its end. */
  private sendEof(): void {
    if (this.eofSent || !this.other || this.other.destroyed) return;
    this.eofSent = true;
    this.other.push(null);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.sendEof();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.sendEof();
    this.waiting?.();
    this.waiting = null;
    done(err);
  }

  setNoDelay(): this {
    return this;
  }
}

/** Two connected ends, as a client's socket and the server's socket it connected to (`allowHalfOpen` as net's default: an end closes when it has read the other's end and ended its own). */
export function duplexPair(): [PairEnd, PairEnd] {
  const a = new PairEnd({ allowHalfOpen: false });
  const b = new PairEnd({ allowHalfOpen: false });
  a.other = b;
  b.other = a;
  return [a, b];
}
