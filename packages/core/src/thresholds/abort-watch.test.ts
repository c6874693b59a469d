import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortWatch } from './abort-watch.js';
import type { Verdict } from './threshold.js';

const v = (threshold: string, passed: boolean): Verdict => ({ threshold, metric: threshold, measured: 1, unit: 'ms', passed });

test('a threshold crossed without a break for the grace ends the run; one that holds again starts over', () => {
  const w = new AbortWatch(10);
  assert.deepEqual(w.check([v('p99<5ms', false), v('loss=0', true)], 0), []);
  assert.deepEqual(w.check([v('p99<5ms', false), v('loss=0', false)], 5_000), []);
  assert.deepEqual(w.check([v('p99<5ms', true), v('loss=0', false)], 9_000), []);
  assert.deepEqual(w.check([v('p99<5ms', false), v('loss=0', false)], 15_000), ['loss=0']);
  assert.deepEqual(new AbortWatch(0).check([v('errors=0', false)], 1), ['errors=0'], 'a grace of 0 ends the run at the first crossing');
});
