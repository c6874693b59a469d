import { formatFixed, formatInt } from '@mdbench/core/internal';
import type { InstanceRun } from './merge.js';

const MARKS = ['p50', 'p90', 'p99', 'p100'] as const;
/** Instances' storms that began within this of the first one are the same storm (a server restart drops every box at once). */
const SAME_STORM_MS = 10_000;

/** One reconnect storm across the fleet: the instances that saw it, and the recovery of all of them. */
export interface FleetRecovery {
  /** When it began (epoch ms, the earliest instance's view). */
  atMs: number;
  instances: number;
  dropped: number;
  /**
   * Seconds until 50/90/99/100% of every instance's planned connections were back, the slowest
   * instance's: the fleet's own mark came no later (absent: an instance never got there).
   */
  backS: Partial<Record<(typeof MARKS)[number], number>>;
  attempts: number;
  lost: number;
}

/**
 * The instances' recoveries merged into the fleet's: storms that began within 10 s of one another
 * (on the hosts' clocks) are one storm; its drops, attempts and losses add up, and each mark is the
 * slowest instance's (an upper bound of the fleet's own: when every instance has 90% back, the fleet has).
 */
export function fleetRecoveries(runs: readonly InstanceRun[]): FleetRecovery[] {
  const all = runs.flatMap((run) => {
    const s = run.summary;
    if (!s?.recoveries) return [];
    const startMs = Date.parse(s.ts) - s.uptimeS * 1000;
    return s.recoveries.map((r) => ({ ...r, atMs: startMs + r.atS * 1000 }));
  });
  all.sort((a, b) => a.atMs - b.atMs);
  const out: FleetRecovery[] = [];
  for (const r of all) {
    const cur = out.at(-1);
    if (cur && r.atMs - cur.atMs <= SAME_STORM_MS) {
      cur.instances++;
      cur.dropped += r.dropped;
      cur.attempts += r.attempts;
      cur.lost += r.lost;
      for (const m of MARKS) {
        const a = cur.backS[m];
        const b = r.backS[m];
        // The slowest instance, from the storm's first view.
        if (a === undefined || b === undefined) delete cur.backS[m];
        else cur.backS[m] = Math.max(a, b + (r.atMs - cur.atMs) / 1000);
      }
      continue;
    }
    out.push({ atMs: r.atMs, instances: 1, dropped: r.dropped, backS: { ...r.backS }, attempts: r.attempts, lost: r.lost });
  }
  return out;
}

/** `fleet: 3 instance(s), 50% <= 1.20 s, ... after the drop of 15,000 at 2026-...; 15,210 attempts, 0 messages lost`. */
export function fleetRecoveryText(recovery: FleetRecovery): string {
  const marks = MARKS.map((m) => `${m.slice(1)}% ${recovery.backS[m] === undefined ? 'not yet' : `<= ${formatFixed(recovery.backS[m] as number, 2)} s`}`).join(
    ', ',
  );
  return `${marks} after the drop of ${formatInt(recovery.dropped)} at ${new Date(recovery.atMs).toISOString()} (${recovery.instances} instance(s)); ${formatInt(recovery.attempts)} attempts, ${formatInt(recovery.lost)} messages lost in the intervals it spanned`;
}
