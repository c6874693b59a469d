import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateHeld } from './rate-held.js';

test('an interval holds the rate within 1%, or off it only by a stall at its edge; a publisher that cannot keep up does not', () => {
  assert.equal(rateHeld(0.5, 0, 1), true);
  assert.equal(rateHeld(-0.9, 500_000, 1), true, 'within 1%: held, whatever the backlog');
  // 200 msg/s, 1 s intervals, a 25 ms stall at the edge: 195 then 205 sent.
  assert.equal(rateHeld(-2.5, 25_000, 1), true);
  assert.equal(rateHeld(2.44, 2_000, 1), true);
  // A publisher at 90% of the target: 100 ms further behind each second.
  assert.equal(rateHeld(-10, 100_001, 1), false);
  assert.equal(rateHeld(-10, 200_000, 1), false);
  // Long intervals allow 1% of the interval: 10 s intervals, 100 ms; 60 s intervals, 600 ms.
  assert.equal(rateHeld(-2, 550_000, 60), true);
  assert.equal(rateHeld(-2, 650_000, 60), false);
  // Over the target while still far behind (catching up from a long stall): not held yet.
  assert.equal(rateHeld(5, 3_000_000, 5), false);
});
