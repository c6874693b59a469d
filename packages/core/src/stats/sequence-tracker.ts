/** Per-stream sequence state: the highest sequence number seen and which of the 32 below it arrived. */
export interface SeqStream {
  /** The first sequence number seen: nothing below it was expected. */
  first: number;
  last: number;
  /** Bit k set: sequence `last - 1 - k` has arrived. */
  window: number;
}

/** Integrity counts for one or more streams. */
export interface IntegrityCounts {
  /** Sequence numbers skipped when a higher one arrived (messages lost, unless they turn up late). */
  gaps: number;
  /** Messages whose sequence number had already arrived. */
  duplicates: number;
  /** Messages that arrived after a higher sequence number (late); each also closes one gap. */
  outOfOrder: number;
  /**
   * Messages published on a stream before its first one here (sequence numbers below the first
   * seen): the subscriber joined after them, so they were never expected. The report subtracts them
   * from the deliveries it expects.
   */
  joinedAfter: number;
  /**
   * Messages published while a connection was away by its own doing (--lifetime): the gap of each
   * stream across its offline window, which is not the server's loss.
   */
  missedOffline: number;
}

export function newIntegrity(): IntegrityCounts {
  return { gaps: 0, duplicates: 0, outOfOrder: 0, joinedAfter: 0, missedOffline: 0 };
}

const WINDOW = 32;

/** A stream starting at its first message (a subscriber may join mid-stream: nothing before counts). */
export function startStream(seq: number, c?: IntegrityCounts): SeqStream {
  if (c) c.joinedAfter += Math.max(0, seq - 1);
  return { first: seq, last: seq, window: 0 };
}

/**
 * Accounts message `seq` on `s`: in order, a gap, a duplicate, or a late arrival. Late arrivals and
 * duplicates are told apart exactly within 32 sequence numbers of the highest seen; further back a
 * message counts as late.
 */
export function observeSeq(stream: SeqStream, seq: number, c: IntegrityCounts): void {
  const d = seq - stream.last;
  if (d > 0) {
    c.gaps += d - 1;
    // Shift the window: `last` itself becomes bit d-1.
    stream.window = d > WINDOW ? 0 : d === WINDOW ? (1 << 31) >>> 0 : ((stream.window << d) | (1 << (d - 1))) >>> 0;
    stream.last = seq;
    return;
  }
  if (d === 0) {
    c.duplicates++;
    return;
  }
  const back = -d - 1;
  if (back < WINDOW) {
    const bit = (1 << back) >>> 0;
    if (stream.window & bit) {
      c.duplicates++;
      return;
    }
    stream.window = (stream.window | bit) >>> 0;
  }
  c.outOfOrder++;
  // A late message closes the gap it left, unless it predates the stream's start (never counted).
  if (seq >= stream.first) c.gaps--;
}
