import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BacklogWatch } from './backlog.js';

test('latency growing without bound is a backlog; steady, noisy or settling latency is not', () => {
  const grow = new BacklogWatch();
  for (let t = 5; t <= 60; t += 5) grow.add(t, 200 + t * 400, 1000);
  const b = grow.backlog();
  assert.ok(b, 'a server 40% short of the rate');
  assert.ok(Math.abs(b.slopeMsPerS - 400) < 1e-6);
  const steady = new BacklogWatch();
  for (let t = 5; t <= 60; t += 5) steady.add(t, 2 + ((t * 7) % 5), 1000);
  assert.equal(steady.backlog(), null);
  // A burst at the start that drains: high, then down to normal.
  const settling = new BacklogWatch();
  for (let t = 5; t <= 60; t += 5) settling.add(t, t < 20 ? 5000 - t * 200 : 3, 1000);
  assert.equal(settling.backlog(), null);
  // Too few intervals to tell; intervals without messages are not points.
  const few = new BacklogWatch();
  for (let t = 5; t <= 15; t += 5) few.add(t, t * 1000, 10);
  few.add(20, Number.NaN, 0);
  assert.equal(few.backlog(), null);
});
