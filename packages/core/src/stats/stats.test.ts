import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LatencyStats, Welford, criticalValue, meanConfidence, newIntegrity, observeSeq, startStream } from '../internal.js';

function twoPass(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, stdev: Math.sqrt(m2 / n), min: Math.min(...xs), max: Math.max(...xs) };
}

const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b)), `${a} != ${b}`);

test('Welford matches a two-pass computation on random data', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e6, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 2000 }), (xs) => {
      const w = new Welford();
      for (const x of xs) w.add(x);
      const t = twoPass(xs);
      assert.equal(w.count, xs.length);
      close(w.mean, t.mean);
      close(w.stdev, t.stdev, 1e-7);
      // == on purpose: -0 and 0 are one value here (assert.equal's Object.is tells them apart).
      assert.ok(w.min === t.min && w.max === t.max, `min/max ${w.min}/${w.max} against ${t.min}/${t.max}`);
    }),
  );
});

test("the article's literal update (delta * delta) overstates the deviation; ours does not", () => {
  const xs = [1, 2, 3, 4, 100, 5, 6];
  let n = 0;
  let mean = 0;
  let ssd = 0;
  for (const x of xs) {
    n++;
    const d = x - mean;
    mean += d / n;
    ssd += d * d;
  }
  const w = new Welford();
  for (const x of xs) w.add(x);
  const t = twoPass(xs);
  close(w.stdev, t.stdev);
  assert.ok(Math.sqrt(ssd / n) > t.stdev * 1.05);
});

test('merging two halves equals the whole', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 500 }), fc.nat(), (xs, cut) => {
      const k = xs.length ? cut % (xs.length + 1) : 0;
      const whole = new Welford();
      const a = new Welford();
      const b = new Welford();
      xs.forEach((x, i) => (whole.add(x), (i < k ? a : b).add(x)));
      a.merge(b);
      assert.equal(a.count, whole.count);
      close(a.mean, whole.mean);
      close(a.m2, whole.m2, 1e-7);
      assert.equal(a.min, whole.min);
      assert.equal(a.max, whole.max);
    }),
  );
});

test('latency stats merged over workers equal one process over the same data', () => {
  const all = new LatencyStats();
  const parts = [new LatencyStats(), new LatencyStats(), new LatencyStats()];
  let seed = 1;
  for (let i = 0; i < 30000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const us = (seed % 500000) + 10;
    all.record(us);
    parts[i % 3].record(us);
  }
  const merged = new LatencyStats();
  for (const p of parts) merged.mergeWire(JSON.parse(JSON.stringify(p.toWire())));
  assert.equal(merged.welford.count, all.welford.count);
  close(merged.welford.mean, all.welford.mean);
  close(merged.welford.stdev, all.welford.stdev, 1e-9);
  for (const p of [50, 90, 99, 99.9, 99.99]) assert.equal(merged.percentileUs(p), all.percentileUs(p));
  assert.equal(merged.hist.totalCount, 30000);
});

test("confidence intervals reproduce the article's figures", () => {
  const n = 7_089_699;
  const sd = 420.36;
  const state = { count: n, mean: 269.68, m2: sd * sd * (n - 1), min: 0, max: 2024 };
  const ci90 = meanConfidence(state, 90)!;
  const ci95 = meanConfidence(state, 95)!;
  assert.equal(ci90.low.toFixed(2), '269.42');
  assert.equal(ci90.high.toFixed(2), '269.94');
  assert.equal(ci95.low.toFixed(2), '269.37');
  assert.equal(ci95.high.toFixed(2), '269.99');
  assert.equal(meanConfidence({ ...state, count: 1 }, 95), undefined);
  assert.equal(criticalValue(95, 2), 12.706);
  assert.equal(criticalValue(90, 31), 1.697);
  assert.equal(criticalValue('six at 95', 3), 7.649);
  assert.ok(Math.abs(criticalValue('six at 95', 1000) - 2.394) < 1e-3);
  assert.ok(Math.abs(criticalValue(95, 1000) - 1.96) < 1e-3);
});

test('sequence tracking: gaps, duplicates and late arrivals from crafted sequences', () => {
  const run = (seqs: number[]) => {
    const c = newIntegrity();
    const s = startStream(seqs[0], c);
    for (const q of seqs.slice(1)) observeSeq(s, q, c);
    const { joinedAfter, missedOffline, ...rest } = c;
    assert.equal(missedOffline, 0);
    assert.equal(joinedAfter, seqs[0] - 1, 'the messages before the first one seen are counted apart');
    return rest;
  };
  assert.deepEqual(run([1, 2, 3, 4]), { gaps: 0, duplicates: 0, outOfOrder: 0 });
  assert.deepEqual(run([1, 2, 5, 6, 9]), { gaps: 4, duplicates: 0, outOfOrder: 0 });
  assert.deepEqual(run([1, 2, 2, 3, 3, 3]), { gaps: 0, duplicates: 3, outOfOrder: 0 });
  assert.deepEqual(run([1, 3, 2, 4]), { gaps: 0, duplicates: 0, outOfOrder: 1 });
  assert.deepEqual(run([1, 3, 2, 2, 4]), { gaps: 0, duplicates: 1, outOfOrder: 1 });
  assert.deepEqual(run([1, 4, 3, 2, 5]), { gaps: 0, duplicates: 0, outOfOrder: 2 });
  assert.deepEqual(run([10, 50, 20, 20]), { gaps: 38, duplicates: 1, outOfOrder: 1 });
  assert.deepEqual(run([57, 58]), { gaps: 0, duplicates: 0, outOfOrder: 0 }, 'a stream starts where the subscriber joins');
  assert.deepEqual(run([1, 100, 2]), { gaps: 97, duplicates: 0, outOfOrder: 1 }, 'beyond the window a late message still closes its gap');
});

test('property: gaps are exactly the numbers not received, whatever the order within the window', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 30 }), fc.array(fc.nat(), { maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 30 }), (n, swaps, drop) => {
      const seqs = Array.from({ length: n }, (_, i) => i + 1);
      for (let i = 0; i + 1 < swaps.length; i += 2) {
        const a = 1 + (swaps[i] % (n - 1));
        const b = 1 + (swaps[i + 1] % (n - 1));
        [seqs[a], seqs[b]] = [seqs[b], seqs[a]];
      }
      const kept = seqs.filter((_, i) => i === 0 || !drop[i]);
      const c = newIntegrity();
      const s = startStream(kept[0]);
      let late = 0;
      let max = kept[0];
      for (const q of kept.slice(1)) {
        if (q < max) late++;
        max = Math.max(max, q);
        observeSeq(s, q, c);
      }
      assert.equal(c.duplicates, 0);
      assert.equal(c.outOfOrder, late);
      assert.equal(c.gaps, max - kept[0] + 1 - kept.length);
    }),
  );
});

test('connect phases merge exactly: the merged histograms of two halves are those of the whole', async () => {
  const { PhaseStats } = await import('./phases.js');
  const whole = new PhaseStats();
  const a = new PhaseStats();
  const b = new PhaseStats();
  for (let i = 0; i < 1000; i++) {
    const us = 100 + ((i * 7919) % 5000);
    whole.record('tls', us);
    (i % 2 ? a : b).record('tls', us);
  }
  const merged = new PhaseStats();
  merged.mergeWire(a.toWire());
  merged.mergeWire(b.toWire());
  assert.equal(merged.byPhase.tls.welford.count, 1000);
  for (const p of [50, 99, 100]) assert.equal(merged.byPhase.tls.percentileUs(p), whole.byPhase.tls.percentileUs(p));
  assert.deepEqual(Object.keys(merged.toWire()), ['tls'], 'phases never seen are left out of the wire');
});
