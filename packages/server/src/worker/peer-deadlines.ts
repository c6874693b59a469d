import { DelayQueue } from '@mdbench/core/worker';
import type { WorkerStats } from '../worker-config.js';
import { type Peer, PeerState } from './peer.js';

/** How long a peer may take to answer our close frame (or to close after its own) before the socket is destroyed. */
const CLOSE_TIMEOUT_MS = 2000;
/** How often an event stream gets a comment, so that a client can tell a quiet stream from a dead one (--idle-timeout). */
const STREAM_COMMENT_MS = 15_000;
const STREAM_COMMENT = Buffer.from(':\n\n');

/** How long a peer may take to send a whole upgrade request (a slowloris holds no socket longer). */
export const UPGRADE_TIMEOUT_MS = 10_000;

/**
 * Peers whose upgrade, or closing handshake, must be over by a time: absolute deadlines (a peer
 * trickling bytes cannot push them back, as it would a socket's idle timeout), swept once a
 * second; and the comment that tells an event stream's client the stream is alive.
 */
export class PeerDeadlines {
  private readonly upgrading = new DelayQueue<Peer>(250);
  private readonly closing = new DelayQueue<Peer>(250);
  private commentedMs = 0;

  constructor(
    private readonly nowMs: () => number,
    private readonly stats: WorkerStats,
    private readonly open: ReadonlySet<Peer>,
  ) {}

  /** A peer just accepted: its upgrade request must be whole within UPGRADE_TIMEOUT_MS. */
  upgradeBy(p: Peer): void {
    this.upgrading.add(p, this.nowMs() + UPGRADE_TIMEOUT_MS);
  }

  /** Our side is done: the socket goes after CLOSE_TIMEOUT_MS whatever the peer does. */
  closeBy(p: Peer): void {
    this.closing.add(p, this.nowMs() + CLOSE_TIMEOUT_MS);
  }

  /** Ends the peers whose upgrade or closing handshake is overdue, and comments on event streams now and then; call about once a second. */
  sweep(): void {
    const now = this.nowMs();
    if (now - this.commentedMs >= STREAM_COMMENT_MS) {
      this.commentedMs = now;
      for (const p of this.open) if (p.mdbSse && p.writableLength === 0) p.write(STREAM_COMMENT);
    }
    for (const p of this.upgrading.takeDue(now, Number.POSITIVE_INFINITY)) {
      if (p.mdbState !== PeerState.UPGRADING || p.destroyed) continue;
      this.stats.badUpgrades++;
      p.destroy();
    }
    for (const p of this.closing.takeDue(now, Number.POSITIVE_INFINITY)) p.destroy();
  }
}
