import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WsState } from '@mdbench/core/internal';
import { ManualClock } from '@mdbench/core/testing';
import { KeepaliveWheel } from './keepalive-wheel.js';
import type { Subscriber } from './subscriber.js';

test('each open connection gets a keepalive every period from one wheel; dropped or reopened ones are not doubled', () => {
  const clock = new ManualClock();
  const sent: number[] = [];
  const conns = Array.from({ length: 1000 }, (_, i) => ({ i, state: WsState.OPEN, keepaliveAtMs: 0 }) as unknown as Subscriber & { i: number });
  const wheel = new KeepaliveWheel(10_000, clock, (c) => sent.push((c as unknown as { i: number }).i));
  for (const c of conns) {
    wheel.add(c);
    clock.advanceMs(10);
  }
  // Connection 0 drops and comes back: one schedule only.
  (conns[0] as { keepaliveAtMs: number }).keepaliveAtMs = 0;
  wheel.add(conns[0]);
  (conns[1] as { state: number }).state = WsState.CLOSED;
  for (let t = 0; t < 30_000; t += 100) {
    clock.advanceMs(100);
    wheel.tick();
  }
  const per = new Map<number, number>();
  for (const i of sent) per.set(i, (per.get(i) ?? 0) + 1);
  assert.equal(per.get(1), undefined, 'a closed connection gets none');
  for (const [i, n] of per) assert.ok(n >= 2 && n <= 4, `connection ${i}: ${n} keepalives in ~30 s at 10 s`);
  assert.equal(per.size, 999);
});

test('no period, no keepalives', () => {
  const wheel = new KeepaliveWheel(0, new ManualClock(), () => assert.fail('sent'));
  wheel.add({ state: WsState.OPEN, keepaliveAtMs: 0 } as unknown as Subscriber);
  assert.equal(wheel.size, 0);
});

test('a connection that hears nothing in the period after a keepalive is declared dead; one that hears anything is not', () => {
  const clock = new ManualClock();
  const dead: number[] = [];
  const conns = [0, 1].map((i) => ({ i, state: WsState.OPEN, keepaliveAtMs: 0, heard: false }) as unknown as Subscriber & { i: number; heard: boolean });
  const wheel = new KeepaliveWheel(
    1000,
    clock,
    () => {},
    (c) => dead.push((c as unknown as { i: number }).i),
  );
  for (const c of conns) wheel.add(c);
  for (let t = 0; t < 2500; t += 50) {
    clock.advanceMs(50);
    conns[1].heard = true; // connection 1 keeps hearing from the server
    wheel.tick();
  }
  // First keepalive at 1 s (the session start counts as heard), the verdict at 2 s.
  assert.deepEqual(dead, [0]);
});

test('quiet-only keepalives (native): a connection that hears messages sends none; a quiet one sends one every other period and is dead only after a quiet period following it', () => {
  const clock = new ManualClock();
  const sent: number[] = [];
  const dead: number[] = [];
  type Conn = Subscriber & { i: number; heard: boolean };
  const conns = [0, 1, 2].map((i) => ({ i, state: WsState.OPEN, keepaliveAtMs: 0, heard: false, asked: false }) as unknown as Conn);
  const wheel = new KeepaliveWheel(
    1000,
    clock,
    (c) => {
      sent.push((c as Conn).i);
      // Connection 1's server answers; connection 2's is gone.
      if ((c as Conn).i === 1) (c as Conn).heard = true;
    },
    (c) => dead.push((c as Conn).i),
    true,
  );
  for (const c of conns) wheel.add(c);
  for (let t = 0; t < 10_000; t += 50) {
    clock.advanceMs(50);
    conns[0].heard = true; // connection 0 receives messages all the time
    wheel.tick();
  }
  assert.equal(sent.filter((i) => i === 0).length, 0, 'a connection that hears messages sends no keepalive');
  // Connection 1 is quiet but answered: a keepalive every other period, never dead.
  const ones = sent.filter((i) => i === 1).length;
  assert.ok(ones >= 4 && ones <= 5, `connection 1: ${ones} keepalives in 10 periods`);
  // Connection 2: its first period counts as heard (the session start), the keepalive at 2 s, dead at 3 s.
  assert.deepEqual(dead, [2]);
  assert.equal(sent.filter((i) => i === 2).length, 1);
});
