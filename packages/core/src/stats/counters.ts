/** Named counts that merge by addition (messages, gaps, errors by cause...). */
export type Counters = Record<string, number>;

/** Adds every count of `from` into `into`. */
export function addCounters(into: Counters, from: Counters): Counters {
  for (const k of Object.keys(from)) into[k] = (Object.hasOwn(into, k) ? into[k] : 0) + from[k];
  return into;
}

/** Adds to one count; a key may be a peer's word (`constructor` is a count like any other, not Object's). */
export function increment(counters: Counters, key: string, by = 1): void {
  counters[key] = (Object.hasOwn(counters, key) ? counters[key] : 0) + by;
}

/** Returns the counts and clears them, for interval deltas. */
export function takeCounters(counters: Counters): Counters {
  const out: Counters = {};
  for (const k of Object.keys(counters)) {
    if (counters[k] !== 0) out[k] = counters[k];
    delete counters[k];
  }
  return out;
}
