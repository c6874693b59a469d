import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrateWallOffsetMs, epochUs } from './clock.js';

/**
 * A simulated host: a monotonic clock that advances 0.3 µs per read, a wall clock `offsetMs`
 * ahead of it with whole-millisecond reads, and a preemption of `stallMs` that strikes between two
 * reads at the chosen read numbers (as a loaded machine does).
 */
function host(offsetMs: number, stallMs: number, stallAt: Set<number>) {
  let t = 1000.123;
  let reads = 0;
  const tick = () => {
    t += 0.0003;
    if (stallAt.has(++reads)) t += stallMs;
  };
  return {
    monotonicMs: () => (tick(), t),
    wallMs: () => (tick(), Math.floor(t + offsetMs)),
  };
}

test('the wall-clock offset is found to within a few µs although a 16 ms preemption strikes mid-calibration', () => {
  const offsetMs = 1_796_000_000_000.4567;
  // Preempted during the first edges (the reads around them): those brackets are wide and lose.
  for (const stallAt of [new Set([3]), new Set([2, 5000]), new Set([4000, 9000, 12000])]) {
    const h = host(offsetMs, 16, stallAt);
    const got = calibrateWallOffsetMs({ ...h, budgetMs: 1e9 });
    assert.ok(Math.abs(got - offsetMs) < 0.005, `off by ${((got - offsetMs) * 1000).toFixed(1)} µs with stalls at ${[...stallAt]}`);
  }
});

test('one reading pair (what performance.timeOrigin is) is off by the whole preemption', () => {
  const offsetMs = 1_796_000_000_000.4567;
  const h = host(offsetMs, 16, new Set([2]));
  const wall = h.wallMs();
  const mono = h.monotonicMs();
  assert.ok(Math.abs(wall - mono - offsetMs) > 10, 'the naive pair should be disturbed in this simulation');
});

test('epochUs agrees with Date.now to within a millisecond', () => {
  const before = Date.now() * 1000;
  const us = epochUs();
  const after = Date.now() * 1000 + 1000;
  assert.ok(us >= before && us <= after, `${us} not in [${before}, ${after}]`);
});
