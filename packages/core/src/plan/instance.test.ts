import { test } from 'node:test';
import assert from 'node:assert/strict';
import { K8S_INDEX_ENV, SubjectPlan, compilePattern, estimateOffset, instanceSlice, resolveInstance, sliceSequence } from '../internal.js';

test("the article's shards: publisher k of 8 takes the k-th 1.5 M of 12 M subjects", () => {
  const subjects = compilePattern('/p/s{1..12000000}/-');
  for (const [k, first, last] of [
    [1, '/p/s1/-', '/p/s1500000/-'],
    [2, '/p/s1500001/-', '/p/s3000000/-'],
    [8, '/p/s10500001/-', '/p/s12000000/-'],
  ] as const) {
    const share = instanceSlice(subjects.count, resolveInstance(k, 8, {}));
    const mine = sliceSequence(subjects, share.from, share.count);
    assert.equal(mine.count, 1_500_000);
    assert.equal(mine.at(0), first);
    assert.equal(mine.at(mine.count - 1), last);
  }
});

test("the article's shards: client instance k of 10 with 1.2 M one-to-one clients", () => {
  const plan = new SubjectPlan({ subjects: compilePattern('/p/s{1..12000000}/-'), perClient: 1, oneToOne: true, seed: 1 });
  const clients = 1_200_000;
  const fleetIndex = (k: number, i: number) => resolveInstance(k, 10, {}).index * clients + i;
  assert.deepEqual(plan.subjectsOf(fleetIndex(1, 0)), ['/p/s1/-']);
  assert.deepEqual(plan.subjectsOf(fleetIndex(2, 0)), ['/p/s1200001/-']);
  assert.deepEqual(plan.subjectsOf(fleetIndex(2, clients - 1)), ['/p/s2400000/-']);
  assert.deepEqual(plan.subjectsOf(fleetIndex(10, clients - 1)), ['/p/s12000000/-']);
});

test('uneven splits: sizes differ by one and cover everything once', () => {
  const sizes = [1, 2, 3].map((k) => instanceSlice(10, resolveInstance(k, 3, {})));
  assert.deepEqual(sizes, [
    { from: 0, count: 4 },
    { from: 4, count: 3 },
    { from: 7, count: 3 },
  ]);
  assert.deepEqual(instanceSlice(2, resolveInstance(3, 3, {})), { from: 2, count: 0 });
});

test('the Kubernetes Indexed Job completion index picks the instance; an explicit --instance wins', () => {
  assert.deepEqual(resolveInstance(undefined, 10, { [K8S_INDEX_ENV]: '0' }), { index: 0, count: 10 });
  assert.deepEqual(resolveInstance(undefined, 10, { [K8S_INDEX_ENV]: '9' }), { index: 9, count: 10 });
  assert.deepEqual(resolveInstance(3, 10, { [K8S_INDEX_ENV]: '9' }), { index: 2, count: 10 });
  assert.throws(() => resolveInstance(undefined, 10, { [K8S_INDEX_ENV]: '10' }), /instance 11 is outside 1\.\.10/);
  assert.throws(() => resolveInstance(0, 10, {}), /outside/);
  assert.throws(() => resolveInstance(undefined, 2, { [K8S_INDEX_ENV]: 'x' }), /not a whole number/);
});

test('clock offset: the minimum-round-trip sample wins', () => {
  const o = estimateOffset([
    { t0: 1000, ts: 1600, t3: 1400 },
    { t0: 2000, ts: 2550, t3: 2100 },
    { t0: 3000, ts: 3900, t3: 3800 },
  ]);
  assert.deepEqual(o, { offsetUs: 500, rttUs: 100, samples: 3 });
  assert.equal(estimateOffset([]), undefined);
});
