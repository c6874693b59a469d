/**
 * A fixed-rate schedule: message `k` (0-based) is due at `startUs + k * 1e6 / ratePerSec`. Pure: the
 * pacer asks it which messages are due; it never sends anything early.
 */
export class RateSchedule {
  readonly ratePerSec: number;
  readonly startUs: number;
  readonly intervalUs: number;

  constructor(ratePerSec: number, startUs: number) {
    if (!(ratePerSec > 0)) throw new RangeError(`rate must be positive, got ${ratePerSec}`);
    this.ratePerSec = ratePerSec;
    this.startUs = startUs;
    this.intervalUs = 1e6 / ratePerSec;
  }

  /** When message `k` is due, epoch µs. */
  timeOf(k: number): number {
    return this.startUs + (k * 1e6) / this.ratePerSec;
  }

  /** How many messages are due at `nowUs` (those with timeOf(k) <= nowUs). */
  dueBy(nowUs: number): number {
    if (nowUs < this.startUs) return 0;
    return Math.floor(((nowUs - this.startUs) * this.ratePerSec) / 1e6) + 1;
  }
}
