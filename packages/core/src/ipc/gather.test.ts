import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gather } from './gather.js';

/** Targets that reply through `reply(id, value)` when the test says so. */
function targets(n: number) {
  const sent: { type: string; id: number }[][] = Array.from({ length: n }, () => []);
  return { sent, list: sent.map((box) => ({ send: (m: unknown) => box.push(m as { type: string; id: number }) })) };
}

test('request resolves once every target replied, in arrival order', async () => {
  const g = new Gather<string>({ carryLate: true });
  const t = targets(2);
  const p = g.request(t.list, 'snap', 1000);
  const id = t.sent[0][0].id;
  assert.deepEqual(t.sent[1][0], { type: 'snap', id });
  g.reply(id, 'b');
  g.reply(id, 'a');
  assert.deepEqual(await p, ['b', 'a']);
});

test('with carryLate, a reply after the deadline comes with the next request; without, it is dropped', async () => {
  for (const carryLate of [true, false]) {
    const g = new Gather<string>({ carryLate });
    const t = targets(2);
    const first = g.request(t.list, 'snap', 30);
    const id1 = t.sent[0][0].id;
    g.reply(id1, 'fast');
    assert.deepEqual(await first, ['fast']);
    g.reply(id1, 'late');
    const second = g.request(t.list, 'snap', 1000);
    const id2 = t.sent[0][1].id;
    g.reply(id2, 'x');
    g.reply(id2, 'y');
    assert.deepEqual(await second, carryLate ? ['late', 'x', 'y'] : ['x', 'y']);
  }
});

test('a lost target no longer holds a request back; no targets resolves at once', async () => {
  const g = new Gather<number>({ carryLate: true });
  const t = targets(2);
  const p = g.request(t.list, 'snap', 10_000);
  g.reply(t.sent[0][0].id, 1);
  g.targetLost();
  assert.deepEqual(await p, [1]);
  assert.deepEqual(await g.request([], 'snap', 10_000), []);
});

test('a child killed a moment ago (its exit not yet seen) takes no request: counted lost, no EPIPE error event', async () => {
  const { fork } = await import('node:child_process');
  const child = fork('-e', ['process.on("message", () => {}); setInterval(() => {}, 1000)'], { execPath: process.execPath, execArgv: [] });
  await new Promise((r) => child.once('spawn', r));
  child.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  const errors: Error[] = [];
  child.on('error', (e) => errors.push(e));
  const g = new Gather<number>({ carryLate: true });
  const failing = { send: (_m: unknown, cb: (e: Error | null) => void) => queueMicrotask(() => cb(new Error('channel closed'))) };
  const t0 = Date.now();
  assert.deepEqual(await g.request([child, failing], 'snap', 10_000), []);
  assert.ok(Date.now() - t0 < 5_000, 'not held to the deadline');
  assert.deepEqual(errors, []);
});
