/** How often a worker says it is alive; how long a silent worker has before it is named unresponsive, and before it is given up. */
export const BEAT_MS = 1000;
const UNRESPONSIVE_MS = 5000;
const GIVE_UP_MS = 10_000;

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
 * BEAT_MS: a worker whose event loop stopped (a busy loop, SIGSTOP) is named within a few seconds
 * and given up a few later, whatever it was doing. A check that itself ran late (the primary's own
 * loop stalled, and the workers' messages not read yet) judges nobody.
 */
export class Liveness {
  private readonly heardMs = new Map<number, number>();
  private readonly named = new Set<number>();
  private readonly gaveUp = new Set<number>();
  private readonly nowMs: () => number;
  private lastCheckMs: number;

  constructor(nowMs: () => number) {
    this.nowMs = nowMs;
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
        this.named.add(id);
        found.unresponsive.push(entry);
      }
      if (silent >= GIVE_UP_MS && !this.gaveUp.has(id)) {
        this.gaveUp.add(id);
        found.givenUp.push(entry);
      }
    }
    return found;
  }
}

/** `worker 3 unresponsive for 5 s`. */
export function unresponsiveText(workerId: number, silentS: number): string {
  return `worker ${workerId} unresponsive for ${silentS} s`;
}
