import { LatencyStats, type LatencyWire } from './latency.js';

/** The phases of a connection attempt, in order: TCP connect, TLS handshake, WebSocket upgrade (101), protocol session (up to the subscriptions acknowledged). */
export const PHASES = ['tcp', 'tls', 'upgrade', 'session'] as const;
export type Phase = (typeof PHASES)[number];
/** What is timed: each phase, and `connect`, the whole attempt from its start to its subscriptions acknowledged. */
export const TIMED = [...PHASES, 'connect'] as const;
export type Timed = (typeof TIMED)[number];

/** The counter of the attempts that failed in `phase` (`failedTcp`, `failedTls`, `failedUpgrade`, `failedSession`). */
export function failedCounter(phase: Phase): string {
  return `failed${phase[0].toUpperCase()}${phase.slice(1)}`;
}

/** Each phase's durations as they travel (µs, a Welford state and a histogram each); a phase with none recorded may be absent. */
export type PhasesWire = Partial<Record<Timed, LatencyWire>>;

/** How long each phase of the connection attempts took, merged exactly as latency is (across workers, instances, logs). */
export class PhaseStats {
  readonly byPhase: Record<Timed, LatencyStats>;

  constructor(wasm = false) {
    this.byPhase = {
      tcp: new LatencyStats(wasm),
      tls: new LatencyStats(wasm),
      upgrade: new LatencyStats(wasm),
      session: new LatencyStats(wasm),
      connect: new LatencyStats(wasm),
    };
  }

  record(phase: Timed, us: number): void {
    this.byPhase[phase].record(Math.max(0, Math.round(us)));
  }

  merge(o: PhaseStats): void {
    for (const p of TIMED) this.byPhase[p].merge(o.byPhase[p]);
  }

  mergeWire(w: PhasesWire | undefined): void {
    if (!w) return;
    for (const p of TIMED) {
      const x = w[p];
      if (x) this.byPhase[p].mergeWire(x);
    }
  }

  /** Only the phases that saw an attempt (an empty histogram is not worth its bytes in every record). */
  toWire(): PhasesWire {
    const out: PhasesWire = {};
    for (const p of TIMED) if (this.byPhase[p].welford.count > 0) out[p] = this.byPhase[p].toWire();
    return out;
  }

  reset(): void {
    for (const p of TIMED) this.byPhase[p].reset();
  }

  get empty(): boolean {
    return TIMED.every((p) => this.byPhase[p].welford.count === 0);
  }
}
