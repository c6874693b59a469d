/**
 * Sockets waiting for something to finish within one fixed delay (an upgrade, a closing
 * handshake): a FIFO of (socket, deadline) swept once a second, instead of a timer per socket. The
 * deadline is absolute, so a peer that trickles a byte now and then (slowloris) does not push it
 * back, as a socket's idle timeout would.
 */
export class Deadlines<T> {
  private items: T[] = [];
  private due: number[] = [];
  private head = 0;
  private readonly delayMs: number;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  add(item: T, nowMs: number): void {
    this.items.push(item);
    this.due.push(nowMs + this.delayMs);
  }

  /** Calls `expired` for every item whose deadline has passed, oldest first, and forgets them. */
  sweep(nowMs: number, expired: (item: T) => void): void {
    while (this.head < this.items.length && this.due[this.head] <= nowMs) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined as T;
      expired(item);
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.due = this.due.slice(this.head);
      this.head = 0;
    }
  }
}
