/**
 * How long a connection lives before it closes itself (--lifetime): `fixed:60s`, `exp:300s` (an
 * exponential with that mean: arrivals and departures of a Poisson process), `uniform:30s-300s`.
 * Durations take `ms`, `s`, `m` or `h` (seconds without a unit).
 */
export interface Lifetime {
  kind: 'fixed' | 'exp' | 'uniform';
  /** fixed: the time; exp: the mean; uniform: the range. Seconds. */
  aS: number;
  bS: number;
  text: string;
}

const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, '': 1 };

function durationS(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration (e.g. 300s, 5m, 500ms)`);
  const s = Number(m[1]) * UNIT_S[m[2] ?? ''];
  if (!(s > 0)) throw new Error(`"${text}" must be above zero`);
  return s;
}

/** Parses a lifetime; throws a one-line message naming what is wrong. */
export function parseLifetime(text: string): Lifetime {
  const at = text.indexOf(':');
  const kind = at > 0 ? text.slice(0, at) : '';
  const rest = text.slice(at + 1);
  if (kind === 'fixed' || kind === 'exp') {
    const s = durationS(rest);
    return { kind, aS: s, bS: s, text };
  }
  if (kind === 'uniform') {
    const [lo, hi, extra] = rest.split('-');
    if (hi === undefined || extra !== undefined) throw new Error(`uniform takes a range LOW-HIGH (uniform:30s-300s), not "${rest}"`);
    const a = durationS(lo);
    const b = durationS(hi);
    if (b < a) throw new Error(`uniform:${rest}: the range ends before it starts`);
    return { kind, aS: a, bS: b, text };
  }
  throw new Error(`"${text}" is not a lifetime: fixed:DURATION, exp:MEAN or uniform:LOW-HIGH (e.g. exp:300s)`);
}

/** One connection's lifetime, ms, drawn with `rand` in [0, 1). */
export function sampleLifetimeMs(lifetime: Lifetime, rand: () => number): number {
  if (lifetime.kind === 'fixed') return lifetime.aS * 1000;
  if (lifetime.kind === 'uniform') return (lifetime.aS + rand() * (lifetime.bS - lifetime.aS)) * 1000;
  return -Math.log(1 - rand()) * lifetime.aS * 1000;
}

/** The mean lifetime, seconds (what sets the churn rate: connections / mean). */
export function meanLifetimeS(lifetime: Lifetime): number {
  return lifetime.kind === 'uniform' ? (lifetime.aS + lifetime.bS) / 2 : lifetime.aS;
}
