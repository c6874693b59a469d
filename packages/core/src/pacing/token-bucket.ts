/** A token bucket: `ratePerSec` tokens a second, holding at most `burst`. Time is passed in, in ms. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  readonly ratePerSec: number;
  readonly burst: number;

  constructor(ratePerSec: number, burst: number, nowMs: number) {
    this.ratePerSec = ratePerSec;
    this.burst = burst;
    this.tokens = Math.min(1, burst);
    this.lastMs = nowMs;
  }

  /** Takes up to `want` tokens; returns how many it took. */
  take(want: number, nowMs: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) / 1000) * this.ratePerSec);
    this.lastMs = nowMs;
    const n = Math.max(0, Math.min(want, Math.floor(this.tokens)));
    this.tokens -= n;
    return n;
  }
}
