import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deadlines } from './deadlines.js';

test('items expire in order once their deadline has passed, each once', () => {
  const d = new Deadlines<string>(1000);
  d.add('a', 0);
  d.add('b', 500);
  const out: string[] = [];
  d.sweep(999, (x) => out.push(x));
  assert.deepEqual(out, []);
  d.sweep(1000, (x) => out.push(x));
  assert.deepEqual(out, ['a']);
  d.sweep(5000, (x) => out.push(x));
  assert.deepEqual(out, ['a', 'b']);
  assert.equal(d.size, 0);
});

test('a long FIFO is compacted and keeps its order', () => {
  const d = new Deadlines<number>(10);
  for (let i = 0; i < 5000; i++) d.add(i, i);
  const out: number[] = [];
  d.sweep(3000, (x) => out.push(x));
  for (let i = 5000; i < 6000; i++) d.add(i, i);
  d.sweep(1e9, (x) => out.push(x));
  assert.deepEqual(out, Array.from({ length: 6000 }, (_, i) => i));
});
