import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayQueue } from './delay-queue.js';
import { TokenBucket } from './token-bucket.js';

test('delay queue: items never come out early (at most a slot late), oldest slot first, at most max per take', () => {
  const q = new DelayQueue<string>(10);
  q.add('c', 35);
  q.add('a', 5);
  q.add('b', 12);
  q.add('a2', 7);
  assert.deepEqual(q.takeDue(0, 10), []);
  assert.deepEqual(q.takeDue(9, 10), []);
  assert.deepEqual(q.takeDue(10, 10), ['a', 'a2']);
  assert.deepEqual(q.takeDue(100, 1), ['b']);
  assert.equal(q.size, 1);
  assert.deepEqual(q.takeDue(100, 5), ['c']);
  assert.equal(q.size, 0);
});

test('token bucket: the rate over time, a burst cap, and partial takes', () => {
  const b = new TokenBucket(1000, 50, 0);
  assert.equal(b.take(10, 0), 1, 'starts with one token');
  assert.equal(b.take(10, 5), 5);
  assert.equal(b.take(1000, 1000), 50, 'idle time fills only up to the burst');
  let total = 0;
  for (let t = 1001; t <= 2000; t++) total += b.take(100, t);
  assert.ok(Math.abs(total - 1000) <= 1, `${total} in a second at 1,000/s`);
});
