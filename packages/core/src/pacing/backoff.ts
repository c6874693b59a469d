/** Exponential backoff with full jitter (AWS Architecture Blog): delay is uniform in [0, min(max, base * 2^attempt)]. */
export interface BackoffOptions {
  /** Ceiling of the first attempt's delay, ms. */
  baseMs: number;
  /** Largest delay, ms. */
  maxMs: number;
}

/** Delay before reconnect attempt `attempt` (0 for the first), with `random` in [0, 1). */
export function backoffDelayMs(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return random() * ceiling;
}
