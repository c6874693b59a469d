import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Subscriptions } from './subscriptions.js';

test('one subscriber is stored as itself, more as an array; first and last are reported', () => {
  const s = new Subscriptions<string>();
  assert.equal(s.add('/a', 'x'), true);
  assert.equal(s.lookup('/a'), 'x');
  assert.equal(s.add('/a', 'y'), false);
  assert.equal(s.add('/a', 'y'), false, 'twice is once');
  assert.deepEqual(s.lookup('/a'), ['x', 'y']);
  assert.equal(s.size, 2);
  assert.equal(s.remove('/a', 'x'), false);
  assert.equal(s.lookup('/a'), 'y');
  assert.equal(s.remove('/a', 'y'), true, 'the last one left');
  assert.equal(s.has('/a'), false);
  assert.equal(s.subjects, 0);
});

test('property: the structure always holds exactly the pairs added and not removed', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 })), { maxLength: 200 }), (ops) => {
      const s = new Subscriptions<number>();
      const model = new Map<string, Set<number>>();
      for (const [add, subj, sub] of ops) {
        const key = `/s${subj}`;
        const set = model.get(key) ?? new Set<number>();
        if (add) {
          assert.equal(s.add(key, sub), set.size === 0);
          set.add(sub);
        } else {
          const had = set.delete(sub);
          assert.equal(s.remove(key, sub), had && set.size === 0);
        }
        if (set.size) model.set(key, set);
        else model.delete(key);
      }
      let pairs = 0;
      for (const [key, set] of model) {
        const got = s.lookup(key);
        assert.deepEqual(new Set(Array.isArray(got) ? got : [got]), set);
        pairs += set.size;
      }
      assert.equal(s.size, pairs);
      assert.equal(s.subjects, model.size);
    }),
    { numRuns: 500 },
  );
});
