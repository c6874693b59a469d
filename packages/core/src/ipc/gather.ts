/** Something a request can be sent to: a child process or a cluster worker. */
export interface RequestTarget {
  send(message: unknown, callback: (error: Error | null) => void): unknown;
}

interface Pending<T> {
  left: number;
  replies: T[];
  done: (replies: T[]) => void;
}

/**
 * Request/gather over IPC: a request goes to every target with an id; `request` resolves with the
 * replies that arrive by the deadline. With `carryLate`, a reply that misses its deadline is kept
 * and returned by the next request (counts are never dropped); without, it is discarded (a listing
 * that is stale once late).
 */
export class Gather<T> {
  private readonly pending = new Map<number, Pending<T>>();
  private readonly late: T[] = [];
  private nextId = 0;
  private readonly carryLate: boolean;

  constructor(options: { carryLate: boolean }) {
    this.carryLate = options.carryLate;
  }

  /** Sends `{ type, id }` to each target; resolves with the replies (and earlier late ones). */
  request(targets: readonly RequestTarget[], type: string, timeoutMs: number): Promise<T[]> {
    const earlier = this.late.splice(0, this.late.length);
    return new Promise((resolve) => {
      if (targets.length === 0) return resolve(earlier);
      const id = ++this.nextId;
      const entry: Pending<T> = {
        left: targets.length,
        replies: earlier,
        done: (r) => {
          clearTimeout(timer);
          this.pending.delete(id);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(entry.replies);
      }, timeoutMs);
      this.pending.set(id, entry);
      // A target that died a moment ago (killed, its exit not yet seen) cannot take the request:
      // it counts as lost (with the callback, a failed send is not an 'error' event that ends the process).
      const lost = (error: Error | null) => {
        if (error && this.pending.get(id) === entry && --entry.left === 0) entry.done(entry.replies);
      };
      for (const t of targets) {
        try {
          t.send({ type, id }, lost);
        } catch (error) {
          lost(error as Error);
        }
      }
    });
  }

  /** A reply to request `id`. */
  reply(id: number, value: T): void {
    const entry = this.pending.get(id);
    if (!entry) {
      if (this.carryLate && id <= this.nextId) this.late.push(value);
      return;
    }
    entry.replies.push(value);
    if (--entry.left === 0) entry.done(entry.replies);
  }

  /** A target went away: no request waits for its reply any longer. */
  targetLost(): void {
    for (const entry of [...this.pending.values()]) if (--entry.left <= 0) entry.done(entry.replies);
  }
}
