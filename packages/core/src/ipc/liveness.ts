import type { ProcessProgress } from '../system/process-progress.js';

/** How often a worker says it is alive; how long a silent worker has before it is named unresponsive, and before it is given up. */
export const BEAT_MS = 1000;
const UNRESPONSIVE_MS = 5000;
const GIVE_UP_MS = 10_000;
/**
 * CPU a silent worker must burn after it was named before it is given up (unless it is stopped): a
 * loop that never yields burns a core's worth; a worker starved on an overloaded host (60 workers
 * runnable on 2 cores) gets a sixtieth of one and is still working through its events. Giving those
 * up by the clock alone killed 19 server workers holding 300,000 connections in a 1.2 M run.
 */
const STUCK_CPU_MS = 3000;

/** A worker's side: a beat every BEAT_MS from its event loop (a loop that stops beats no more). */
export function startBeating(send: (msg: { type: 'beat' }) => void): NodeJS.Timeout {
  const t = setInterval(() => send({ type: 'beat' }), BEAT_MS);
  t.unref();
  return t;
}

/** What a check found: workers silent for UNRESPONSIVE_MS (named once), and those silent for GIVE_UP_MS (given up once). */
export interface LivenessFindings {
  unresponsive: { workerId: number; silentS: number }[];
  givenUp: { workerId: number; silentS: number }[];
}

/**
 * A primary's side: when each worker was last heard from (any message counts). Checked every
 * BEAT_MS: a worker silent for UNRESPONSIVE_MS is named; it is given up after GIVE_UP_MS if its
 * process is stopped (SIGSTOP) or has burnt STUCK_CPU_MS since it was named (a loop that never
 * yields), not while it is merely starved of CPU. `progressOf` says how a worker's process stands
 * (undefined where the system does not say: then the clock alone decides). A check that itself ran
 * late (the primary's own loop stalled, and the workers' messages not read yet) judges nobody.
 */
export class Liveness {
  private readonly heardMs = new Map<number, number>();
  /** Workers named unresponsive, with their CPU time then (undefined if unknown). */
  private readonly named = new Map<number, number | undefined>();
  private readonly gaveUp = new Set<number>();
  private readonly nowMs: () => number;
  private readonly progressOf: (workerId: number) => ProcessProgress | undefined;
  private lastCheckMs: number;

  constructor(nowMs: () => number, progressOf: (workerId: number) => ProcessProgress | undefined = () => undefined) {
    this.nowMs = nowMs;
    this.progressOf = progressOf;
    this.lastCheckMs = nowMs();
  }

  heard(workerId: number): void {
    this.heardMs.set(workerId, this.nowMs());
    this.named.delete(workerId);
  }

  forget(workerId: number): void {
    this.heardMs.delete(workerId);
    this.named.delete(workerId);
    this.gaveUp.delete(workerId);
  }

  /** How long the worker has been silent, ms (0 if unknown). */
  silentMs(workerId: number): number {
    const at = this.heardMs.get(workerId);
    return at === undefined ? 0 : this.nowMs() - at;
  }

  check(): LivenessFindings {
    const now = this.nowMs();
    const late = now - this.lastCheckMs > 2 * BEAT_MS;
    this.lastCheckMs = now;
    const found: LivenessFindings = { unresponsive: [], givenUp: [] };
    if (late) {
      // The primary was not running: what the workers said meanwhile is still unread.
      for (const id of this.heardMs.keys()) this.heardMs.set(id, now);
      return found;
    }
    for (const [id, at] of this.heardMs) {
      const silent = now - at;
      const entry = { workerId: id, silentS: Math.round(silent / 1000) };
      if (silent >= UNRESPONSIVE_MS && !this.named.has(id)) {
        this.named.set(id, this.progressOf(id)?.cpuMs);
        found.unresponsive.push(entry);
      }
      if (silent >= GIVE_UP_MS && !this.gaveUp.has(id) && this.stuck(id)) {
        this.gaveUp.add(id);
        found.givenUp.push(entry);
      }
    }
    return found;
  }

  /** A silent worker's process is stopped, or has burnt STUCK_CPU_MS since it was named (or nothing says otherwise). */
  private stuck(workerId: number): boolean {
    const now = this.progressOf(workerId);
    const atNamed = this.named.get(workerId);
    if (now === undefined || atNamed === undefined) return true;
    return now.stopped || now.cpuMs - atNamed >= STUCK_CPU_MS;
  }
}

/** `worker 3 unresponsive for 5 s`. */
export function unresponsiveText(workerId: number, silentS: number): string {
  return `worker ${workerId} unresponsive for ${silentS} s`;
}
