import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceRun } from './merge.js';
import { fleetRecoveries, fleetRecoveryText } from './recoveries.js';

/** An instance whose summary (written at `endIso` after `uptimeS`) holds `recoveries`. */
function run(instance: number, endIso: string, uptimeS: number, recoveries: unknown[]): InstanceRun {
  return {
    key: String(instance),
    instance,
    host: `h${instance}`,
    file: `c${instance}.jsonl`,
    intervals: [],
    clockOffsetUs: null,
    summary: { ts: endIso, uptimeS, recoveries } as never,
  };
}

const storm = (atS: number, dropped: number, backS: Record<string, number>) => ({
  atS,
  cause: 'seen',
  dropped,
  backS,
  attempts: dropped + 10,
  peakPerS: 500,
  lost: 3,
});

test("the instances' recoveries merged: one server restart seen by every box is one storm (drops, attempts and losses added, each mark the slowest box's from the first drop); a later storm is another", () => {
  const merged = fleetRecoveries([
    // Box 1 started at 12:00:00, saw the restart at 30 s; box 2 started 5 s later, saw it at 25.5 s (0.5 s after box 1).
    run(1, '2026-12-07T12:01:00.000Z', 60, [storm(30, 1000, { p50: 1, p90: 2, p99: 3, p100: 4 }), storm(50, 1000, { p50: 1 })]),
    run(2, '2026-12-07T12:01:00.000Z', 55, [storm(25.5, 2000, { p50: 1.5, p90: 1.8, p99: 2, p100: 5 })]),
  ]);
  assert.equal(merged.length, 2);
  const [restart, later] = merged;
  assert.equal(new Date(restart.atMs).toISOString(), '2026-12-07T12:00:30.000Z');
  assert.deepEqual([restart.instances, restart.dropped, restart.attempts, restart.lost], [2, 3000, 3020, 6]);
  assert.deepEqual(restart.backS, { p50: 2, p90: 2.3, p99: 3, p100: 5.5 });
  assert.equal(later.backS.p90, undefined);
  assert.match(
    fleetRecoveryText(later),
    /^50% <= 1\.00 s, 90% not yet, 99% not yet, 100% not yet after the drop of 1,000 at 2026-12-07T12:00:50\.000Z \(1 instance\(s\)\)/,
  );
});
