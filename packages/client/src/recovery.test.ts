import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyGauges } from '@mdbench/core/internal';
import { RecoveryWatch, recoveryMetric, recoveryText } from './recovery.js';

const at = (subscribed: number, attempts: number) => ({ ...emptyGauges(100), subscribed, open: subscribed, attempts });

test('a storm seen in the gauges: dated to the last sample with all subscribed, each mark timed once, attempts and peak rate counted', () => {
  const w = new RecoveryWatch(0);
  w.sample(1000, at(100, 100));
  w.sample(1250, at(100, 100));
  w.sample(1500, at(60, 100)); // seen: below 90%, and still falling
  w.sample(1750, at(0, 150));
  w.sample(2000, at(60, 200)); // 50% at 0.75 s
  w.sample(2250, at(99, 210)); // 90% and 99% at 1.00 s
  w.sample(2500, at(100, 212)); // 100% at 1.25 s
  w.sample(2750, at(100, 212));
  assert.equal(w.all.length, 1);
  const [r] = w.all;
  assert.deepEqual(
    { atS: r.atS, cause: r.cause, dropped: r.dropped, backS: r.backS, attempts: r.attempts },
    { atS: 1.25, cause: 'seen', dropped: 100, backS: { p50: 0.75, p90: 1, p99: 1, p100: 1.25 }, attempts: 112 },
  );
  assert.equal(r.peakPerS, 240); // 60 in 0.25 s (the fall does not count)
  assert.match(
    recoveryText(r),
    /^50% 0\.75 s, 90% 1\.00 s, 99% 1\.00 s, 100% 1\.25 s after the drop of 100 at 1\.3 s \(seen in the gauges\); 112 attempts, peak 240 resubscribed\/s/,
  );
  assert.equal(recoveryMetric('recovery.p99', w.all), 1000);
});

test('a storm of its own making is timed from the drop; a second storm is a second recovery; the loss of the intervals it spanned is counted to it', () => {
  const w = new RecoveryWatch(0);
  w.sample(0, at(100, 100));
  w.made(500, at(100, 100));
  // The workers' word of the drop comes with a later sample: all still subscribed here is not a recovery.
  w.sample(600, at(100, 100));
  w.sample(750, at(0, 130));
  w.interval(3, 1000, 1);
  w.sample(1000, at(100, 200));
  w.interval(7, 3000, 1); // after it ended
  w.sample(3000, at(100, 200));
  w.sample(3250, at(50, 200));
  assert.equal(w.all.length, 2);
  assert.deepEqual(w.all[0].backS, { p50: 0.5, p90: 0.5, p99: 0.5, p100: 0.5 });
  assert.equal(w.all[0].lost, 3);
  assert.equal(w.all[0].cause, 'made');
  // The second has not reached 50% back yet: its threshold figures are not measured.
  assert.ok(Number.isNaN(recoveryMetric('recovery.p100', w.all)));
  assert.ok(Number.isNaN(recoveryMetric('recovery.p99', [])));
});
