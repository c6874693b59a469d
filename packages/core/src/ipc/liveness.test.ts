import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BEAT_MS, Liveness, unresponsiveText } from './liveness.js';

/** Checks every beat from `from` to `to` ms, returning what each found. */
function tick(l: Liveness, clock: { now: number }, to: number) {
  const out: { at: number; unresponsive: number[]; givenUp: number[] }[] = [];
  while (clock.now < to) {
    clock.now += BEAT_MS;
    const f = l.check();
    if (f.unresponsive.length || f.givenUp.length)
      out.push({ at: clock.now, unresponsive: f.unresponsive.map((x) => x.workerId), givenUp: f.givenUp.map((x) => x.workerId) });
  }
  return out;
}

test('a silent worker is named at 5 s and given up at 10 s, once each; one heard from again starts afresh', () => {
  const clock = { now: 0 };
  const l = new Liveness(() => clock.now);
  l.heard(1);
  l.heard(2);
  const found = tick(l, clock, 4000);
  assert.deepEqual(found, []);
  l.heard(2);
  assert.deepEqual(tick(l, clock, 12_000), [
    { at: 5000, unresponsive: [1], givenUp: [] },
    { at: 9000, unresponsive: [2], givenUp: [] },
    { at: 10_000, unresponsive: [], givenUp: [1] },
  ]);
  l.forget(1);
  l.heard(2);
  assert.deepEqual(tick(l, clock, 17_000), [{ at: 17_000, unresponsive: [2], givenUp: [] }]);
  assert.equal(unresponsiveText(3, 5), 'worker 3 unresponsive for 5 s');
});

test('a check that ran late (the primary itself stalled) judges nobody', () => {
  const clock = { now: 0 };
  const l = new Liveness(() => clock.now);
  l.heard(1);
  clock.now = 8000;
  assert.deepEqual(l.check(), { unresponsive: [], givenUp: [] });
  assert.deepEqual(tick(l, clock, 12_000), []);
});

test('given up only when its process is stopped or burns CPU without a beat; a worker starved of CPU is named, not given up', () => {
  const clock = { now: 0 };
  const busy = { stopped: false, cpuMs: 100 }; // a loop that never yields: a core's worth a second
  const starved = { stopped: false, cpuMs: 100 }; // a sixtieth of a core
  const procs = new Map([
    [1, { stopped: true, cpuMs: 100 }], // SIGSTOP
    [2, busy],
    [3, starved],
  ]);
  const l = new Liveness(
    () => clock.now,
    (id) => procs.get(id),
  );
  for (const id of procs.keys()) l.heard(id);
  const found: { at: number; unresponsive: number[]; givenUp: number[] }[] = [];
  while (clock.now < 40_000) {
    clock.now += BEAT_MS;
    busy.cpuMs += 1000;
    starved.cpuMs += 17;
    const f = l.check();
    if (f.unresponsive.length || f.givenUp.length)
      found.push({ at: clock.now, unresponsive: f.unresponsive.map((x) => x.workerId), givenUp: f.givenUp.map((x) => x.workerId) });
  }
  assert.deepEqual(found, [
    { at: 5000, unresponsive: [1, 2, 3], givenUp: [] },
    { at: 10_000, unresponsive: [], givenUp: [1, 2] },
  ]);
  // The starved one beats again: heard, and no longer named.
  l.heard(3);
  assert.deepEqual(l.check(), { unresponsive: [], givenUp: [] });
});
