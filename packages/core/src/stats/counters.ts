/** Named counts that merge by addition (messages, gaps, errors by cause...). */
export type Counters = Record<string, number>;

/** Adds every count of `from` into `into`. */
export function addCounters(into: Counters, from: Counters): Counters {
  for (const k of Object.keys(from)) into[k] = (into[k] ?? 0) + from[k];
  return into;
}

export function increment(c: Counters, key: string, by = 1): void {
  c[key] = (c[key] ?? 0) + by;
}

/** Returns the counts and clears them, for interval deltas. */
export function takeCounters(c: Counters): Counters {
  const out: Counters = {};
  for (const k of Object.keys(c)) {
    if (c[k] !== 0) out[k] = c[k];
    delete c[k];
  }
  return out;
}
