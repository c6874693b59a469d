import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetStats } from './merge.js';
import { compareFleets, comparisonText, percentileInterval } from './compare.js';

/** A fleet whose latencies are `n` draws of a log-normal around `medianUs` (seeded), scaled by `scale`. */
function fleet(seed: number, n: number, medianUs: number, scale = 1, gaps = 0): FleetStats {
  const f = new FleetStats();
  // mulberry32: a PRNG good enough for the tails Box-Muller reads (an LCG's correlated draws are not).
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    f.stats.latency.record(Math.round(medianUs * scale * Math.exp(0.5 * z)));
  }
  f.stats.counters.messages = n;
  f.stats.counters.gaps = gaps;
  return f;
}
const opts = { tolerancePct: 10, minEffectMs: 1 };
const byMetric = (rows: ReturnType<typeof compareFleets>) => Object.fromEntries(rows.map((r) => [r.metric, r]));

test('two samples of the same distribution: no regression in 20 pairs; a difference called significant about as rarely as a 95% interval allows', () => {
  let judged = 0;
  const called: string[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const rows = compareFleets(fleet(seed, 20_000, 5000), fleet(seed + 1000, 20_000, 5000), opts);
    assert.deepEqual(rows.filter((r) => r.regression).map((r) => `${r.metric}: ${comparisonText(r)}`), [], `seed ${seed}`);
    judged += rows.filter((r) => r.low !== undefined).length;
    called.push(...rows.filter((r) => r.verdict !== 'no significant difference').map((r) => `seed ${seed} ${r.metric}: ${comparisonText(r)}`));
  }
  assert.ok(called.length <= 0.05 * judged, `${called.length} of ${judged}: ${called.join('; ')}`);
});

test('a candidate 30% slower is worse at every percentile and the mean, each a regression; 30% faster is better', () => {
  const slow = byMetric(compareFleets(fleet(1, 20_000, 5000), fleet(2, 20_000, 5000, 1.3), opts));
  for (const m of ['latency mean', 'latency p50', 'latency p90', 'latency p99']) {
    assert.equal(slow[m].verdict, 'worse', `${m}: ${comparisonText(slow[m])}`);
    assert.equal(slow[m].regression, true);
    assert.ok((slow[m].low as number) > 0 && (slow[m].high as number) > (slow[m].low as number));
  }
  assert.equal(slow['latency max'].regression, false, 'the maximum is shown, never judged');
  const fast = byMetric(compareFleets(fleet(1, 20_000, 5000), fleet(2, 20_000, 5000, 0.7), opts));
  assert.equal(fast['latency p99'].verdict, 'better');
});

test('significant but small: under the tolerance, or under the minimum effect for times, is no regression; a loss from zero is', () => {
  const small = byMetric(compareFleets(fleet(1, 200_000, 5000), fleet(2, 200_000, 5000, 1.05), opts));
  assert.equal(small['latency p50'].regression, false, comparisonText(small['latency p50']));
  const fastRuns = byMetric(compareFleets(fleet(1, 200_000, 500), fleet(2, 200_000, 500, 1.5), opts));
  assert.equal(fastRuns['latency p50'].regression, false, `0.25 ms slower is under the 1 ms minimum effect: ${comparisonText(fastRuns['latency p50'])}`);
  const lossy = byMetric(compareFleets(fleet(1, 1000, 5000), fleet(2, 1000, 5000, 1, 4), opts));
  assert.equal(lossy.loss.verdict, 'worse');
  assert.equal(comparisonText(lossy.loss), '0 -> 4, +4: worse (REGRESSION)');
});

test('a percentile\'s 95% interval from the histogram brackets it, narrower with more samples', () => {
  const wide = percentileInterval(fleet(3, 1_000, 5000).stats.latency, 99);
  const narrow = percentileInterval(fleet(3, 100_000, 5000).stats.latency, 99);
  assert.ok(wide.low <= wide.value && wide.value <= wide.high);
  assert.ok(narrow.high - narrow.low < wide.high - wide.low);
});
