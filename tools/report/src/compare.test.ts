import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetStats } from './merge.js';
import { compareRunSets, compareRuns, comparisonText, percentileInterval, type RunData } from './compare.js';

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

/**
 * A run of `k` report intervals of `n` messages each; `drift` makes each interval's median differ by
 * up to that fraction (a run's own ups and downs: a queue, a busy neighbour).
 */
function run(seed: number, k: number, n: number, medianUs: number, scale = 1, drift = 0, gaps = 0): RunData {
  const whole = new FleetStats();
  const intervals = Array.from({ length: k }, (_, i) => {
    const f = fleet(seed * 1000 + i, n, medianUs * (1 + drift * Math.sin(seed * 7 + i * 2.3)), scale, i === 0 ? gaps : 0);
    whole.stats.merge(f.stats);
    return { fleet: f, seconds: 1 } as never;
  });
  return { fleet: whole, intervals };
}

const opts = { tolerancePct: 10, minEffectMs: 1 };
const byMetric = (rows: ReturnType<typeof compareRuns>) => Object.fromEntries(rows.map((r) => [r.metric, r]));

test('two runs of the same setup, each with its own ups and downs (+/-20% between intervals): no regression in 20 pairs; a difference called significant about as rarely as a 95% interval allows', () => {
  let judged = 0;
  const called: string[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const rows = compareRuns(run(seed, 10, 2000, 5000, 1, 0.2), run(seed + 100, 10, 2000, 5000, 1, 0.2), opts);
    assert.deepEqual(
      rows.filter((r) => r.regression).map((r) => `${r.metric}: ${comparisonText(r)}`),
      [],
      `seed ${seed}`,
    );
    judged += rows.filter((r) => r.low !== undefined).length;
    called.push(...rows.filter((r) => r.verdict === 'better' || r.verdict === 'worse').map((r) => `seed ${seed} ${r.metric}: ${comparisonText(r)}`));
  }
  assert.ok(called.length <= 0.05 * judged, `${called.length} of ${judged}: ${called.join('; ')}`);
});

test('a candidate 30% slower is worse at every percentile and the mean, each a regression; 30% faster is better', () => {
  const slow = byMetric(compareRuns(run(1, 10, 2000, 5000), run(2, 10, 2000, 5000, 1.3), opts));
  for (const m of ['latency mean', 'latency p50', 'latency p90', 'latency p99']) {
    assert.equal(slow[m].verdict, 'worse', `${m}: ${comparisonText(slow[m])}`);
    assert.equal(slow[m].regression, true);
    assert.ok((slow[m].low as number) > 0 && (slow[m].high as number) > (slow[m].low as number));
  }
  assert.equal(slow['latency max'].regression, false, 'the maximum is shown, never judged');
  const fast = byMetric(compareRuns(run(1, 10, 2000, 5000), run(2, 10, 2000, 5000, 0.7), opts));
  assert.equal(fast['latency p99'].verdict, 'better');
});

test('significant but small: under the tolerance, or under the minimum effect for times, is no regression; a loss from zero is', () => {
  const small = byMetric(compareRuns(run(1, 20, 10_000, 5000), run(2, 20, 10_000, 5000, 1.05), opts));
  assert.equal(small['latency p50'].regression, false, comparisonText(small['latency p50']));
  const fastRuns = byMetric(compareRuns(run(1, 20, 10_000, 500), run(2, 20, 10_000, 500, 1.5), opts));
  assert.equal(
    fastRuns['latency p50'].verdict,
    'no significant difference',
    `0.25 ms slower is under the 1 ms minimum effect: ${comparisonText(fastRuns['latency p50'])}`,
  );
  const lossy = byMetric(compareRuns(run(1, 5, 200, 5000), run(2, 5, 200, 5000, 1, 0, 4), opts));
  assert.equal(lossy.loss.verdict, 'worse');
  assert.equal(comparisonText(lossy.loss), '0 -> 4, +4: worse (REGRESSION)');
});

test('too few intervals, or too few messages in them for a percentile, is not judged', () => {
  const short = byMetric(compareRuns(run(1, 2, 2000, 5000), run(2, 2, 2000, 5000, 2), opts));
  assert.equal(short['latency p50'].verdict, 'too few samples');
  const thin = byMetric(compareRuns(run(1, 10, 500, 5000), run(2, 10, 500, 5000, 2), opts));
  assert.equal(thin['latency p99.9'].verdict, 'too few samples', 'p99.9 needs 10,000 messages an interval');
  assert.equal(thin['latency p50'].verdict, 'worse');
});

test("a percentile's 95% interval from the histogram brackets it, narrower with more samples", () => {
  const wide = percentileInterval(fleet(3, 1_000, 5000).stats.latency, 99);
  const narrow = percentileInterval(fleet(3, 100_000, 5000).stats.latency, 99);
  assert.ok(wide.low <= wide.value && wide.value <= wide.high);
  assert.ok(narrow.high - narrow.low < wide.high - wide.low);
});

test("one run a side, a candidate whose level moved 12% as a shared machine moves between runs: a regression called in at most 5% of 40 pairs (only where the two runs' intervals separate)", () => {
  // Each interval of either run drifts by up to 20%; the candidate's whole run sits 12% higher.
  const called: string[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const rows = compareRuns(run(seed, 10, 2000, 5000, 1, 0.2), run(seed + 100, 10, 2000, 5000, 1.12, 0.2), opts);
    called.push(...rows.filter((r) => r.regression).map((r) => `seed ${seed} ${r.metric}: ${comparisonText(r)}`));
  }
  assert.ok(called.length <= 2, called.join('; '));
});

test('three runs a side: judged by the variance between runs; the same setup with a level that moves 10% between runs is no regression, a candidate 50% slower is', () => {
  const side = (seed: number, scale: number) => [0, 1, 2].map((i) => run(seed + i, 5, 2000, 5000, scale * (1 + 0.1 * Math.sin(seed * 3 + i * 2.1)), 0.1));
  for (let seed = 1; seed <= 10; seed++) {
    const same = compareRunSets(side(seed * 10, 1), side(seed * 10 + 5, 1), opts);
    assert.deepEqual(
      same.filter((r) => r.regression).map((r) => `${r.metric}: ${comparisonText(r)}`),
      [],
      `seed ${seed}`,
    );
  }
  const slow = byMetric(compareRunSets(side(1, 1), side(50, 1.5), opts));
  for (const m of ['latency mean', 'latency p50', 'latency p90']) assert.equal(slow[m].regression, true, `${m}: ${comparisonText(slow[m])}`);
  assert.equal(byMetric(compareRunSets(side(1, 1), [run(9, 5, 2000, 5000)], opts))['latency mean'].verdict, 'too few samples');
});

test('two runs a side of the same setup, each run at a level of its own (a shared machine between runs): the six figures judged together call a regression in at most 1.5% of 200 pairs', () => {
  // Each figure at 95% called 7 of these 200 pairs (3.5%), judged together 2; a loaded CI host called
  // one pair on its p99.9 with each figure at 95%.
  let a = 12345;
  const normal = () => {
    const u = () => {
      a = (a * 1103515245 + 12345) % 2147483648;
      return (a + 1) / 2147483649;
    };
    return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  };
  const side = (seed: number) => [0, 1].map((i) => run(seed + i, 2, 1000, 5000, Math.exp(0.15 * normal())));
  const called: string[] = [];
  for (let pair = 1; pair <= 200; pair++) {
    const rows = compareRunSets(side(pair * 10), side(pair * 10 + 5), opts).filter((r) => r.regression);
    if (rows.length) called.push(`pair ${pair}: ${rows.map((r) => `${r.metric} ${comparisonText(r)}`).join(', ')}`);
  }
  assert.ok(called.length <= 3, `${called.length} of 200 pairs called a regression: ${called.join('; ')}`);
});
