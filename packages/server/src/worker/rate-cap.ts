import { TokenBucket, type Clock } from '@mdbench/core/worker';

/**
 * TEST ONLY (--test-max-rate): lets at most `ratePerSec` messages through a second and queues the
 * rest in order, so the server's capacity is known in advance and a capacity search must find it.
 */
export class RateCap {
  private readonly bucket: TokenBucket;
  private readonly queue: [Buffer, string][] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly clock: Clock;
  private readonly pass: (message: Buffer, subject: string) => void;

  constructor(ratePerSec: number, clock: Clock, pass: (message: Buffer, subject: string) => void) {
    this.clock = clock;
    this.bucket = new TokenBucket(ratePerSec, Math.max(1, ratePerSec / 100), clock.monotonicMs());
    this.pass = pass;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  push(message: Buffer, subject: string): void {
    this.queue.push([Buffer.from(message), subject]);
    this.drain();
  }

  private readonly drain = (): void => {
    this.timer = null;
    let n = this.bucket.take(this.queued, this.clock.monotonicMs());
    while (n-- > 0) {
      const [m, s] = this.queue[this.head++];
      this.pass(m, s);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.queued > 0 && !this.timer) this.timer = setTimeout(this.drain, 1);
  };
}
