/** An achieved rate further than this from the target, in percent, is reported as not held... */
const RATE_TOLERANCE_PCT = 1;

/** ...unless the publisher ends the interval less than this far behind its schedule (µs). */
const EDGE_ALLOWANCE_US = 100_000;

/**
 * Whether an interval held the rate. Within RATE_TOLERANCE_PCT of the target it did. Further off, it
 * may still have: a stall of a few ms at an interval's edge moves messages into the next interval
 * (at 200 msg/s in 1 s intervals a 25 ms stall made -2.5% and then +2.4% on a busy CI host, with the
 * whole run at 200.05 msg/s), and the schedule lag it leaves is reported as the lag. The pacer is never
 * ahead of its schedule, so a publisher that ends the interval less than 100 ms (or 1% of the
 * interval, if more) behind the schedule kept it; one that cannot keep up falls further behind each
 * interval and is caught.
 */
export function rateHeld(errPct: number, backlogUs: number, seconds: number): boolean {
  if (Math.abs(errPct) <= RATE_TOLERANCE_PCT) return true;
  return backlogUs <= Math.max(EDGE_ALLOWANCE_US, (seconds * 1e6 * RATE_TOLERANCE_PCT) / 100);
}
