import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientStats, emptyGauges, sumGauges } from './client-stats.js';

test('gauges: counts add up; the ramp marks take the earliest start and latest ends (never a sum of epochs)', () => {
  const a = { ...emptyGauges(10), open: 10, subscribed: 9, firstConnectMs: 2000, lastOpenMs: 5000, lastSubscribedMs: 5100 };
  const b = { ...emptyGauges(5), open: 5, subscribed: 5, firstConnectMs: 1500, lastOpenMs: 6000, lastSubscribedMs: 5050 };
  const g = sumGauges([a, b, emptyGauges(0)]);
  assert.deepEqual([g.open, g.subscribed, g.planned], [15, 14, 15]);
  assert.deepEqual([g.firstConnectMs, g.lastOpenMs, g.lastSubscribedMs], [1500, 6000, 5100]);
});

test('the whole-run frequency is over the time messages flowed, not over the uptime', () => {
  // 2,000 msg/s for 15 s inside a 25 s run: two processes, merged.
  const w = (first: number, last: number, n: number) => {
    const s = new ClientStats();
    s.counters.messages = n;
    s.firstMessageUs = first;
    s.lastMessageUs = last;
    return s.toWire();
  };
  const run = new ClientStats();
  run.addWire(w(10_000_000, 25_000_000, 15_000));
  run.addWire(w(10_000_500, 24_999_500, 15_000));
  assert.equal(run.flowSeconds, 15);
  assert.equal(run.flowRatePerSec, 2000);
  assert.equal(new ClientStats().flowRatePerSec, 0);
});
