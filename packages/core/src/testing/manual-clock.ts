import type { Clock } from '../clock.js';

/** A clock that moves only when told to (tests). */
export class ManualClock implements Clock {
  us: number;
  constructor(startUs = 1_700_000_000_000_000) {
    this.us = startUs;
  }
  nowUs(): number {
    return this.us;
  }
  monotonicMs(): number {
    return this.us / 1000;
  }
  advanceMs(ms: number): void {
    this.us += ms * 1000;
  }
}
