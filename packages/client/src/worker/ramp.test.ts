import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WsState } from '@mdbench/core/internal';
import { ManualClock } from '@mdbench/core/testing';
import { Ramp } from './ramp.js';
import type { Subscriber } from './subscriber.js';

interface Fake {
  k: number;
  attempt: number;
  state: number;
  startedMs: number;
  aborted?: string;
  abort(cause: string): void;
}

function setup(o: { count: number; rate: number; maxPending: number }) {
  const clock = new ManualClock();
  const opened: Fake[] = [];
  const ramp = new Ramp(
    { count: o.count, connectRate: o.rate, maxPending: o.maxPending, handshakeTimeoutMs: 1000, backoff: { baseMs: 100, maxMs: 1000 } },
    clock,
    (k) =>
      ({
        k,
        attempt: 0,
        state: WsState.CONNECTING,
        startedMs: 0,
        abort(c: string) {
          this.aborted = c;
        },
      }) as unknown as Subscriber,
    (c) => {
      (c as unknown as Fake).startedMs = clock.monotonicMs();
      opened.push(c as unknown as Fake);
    },
  );
  return { clock, opened, ramp };
}

test('the connect rate holds over time and every planned connection opens once', () => {
  const { clock, opened, ramp } = setup({ count: 3000, rate: 1000, maxPending: 100_000 });
  for (let t = 0; t <= 1000; t += 5) {
    ramp.tick();
    for (const c of ramp.pending.keys()) ramp.settled(c);
    clock.advanceMs(5);
  }
  assert.ok(opened.length >= 990 && opened.length <= 1060, `${opened.length} in one second at 1,000/s`);
  for (let t = 0; t < 3000; t += 5) {
    ramp.tick();
    for (const c of ramp.pending.keys()) ramp.settled(c);
    clock.advanceMs(5);
  }
  assert.equal(opened.length, 3000);
  assert.deepEqual(new Set(opened.map((c) => c.k)).size, 3000);
});

test('handshakes in flight are capped; a settled one makes room', () => {
  const { opened, ramp, clock } = setup({ count: 100, rate: 1_000_000, maxPending: 10 });
  clock.advanceMs(100);
  ramp.tick();
  assert.equal(opened.length, 10);
  ramp.tick();
  assert.equal(opened.length, 10);
  ramp.settled(opened[0] as unknown as Subscriber);
  ramp.tick();
  assert.equal(opened.length, 11);
});

test('a dropped connection waits out a growing, jittered backoff; a slow handshake is aborted as ETIMEDOUT', () => {
  const { opened, ramp, clock } = setup({ count: 1, rate: 1000, maxPending: 10 });
  ramp.tick();
  const c = opened[0];
  ramp.settled(c as unknown as Subscriber);
  ramp.retry(c as unknown as Subscriber);
  assert.equal(c.attempt, 1);
  assert.equal(ramp.retries.size, 1);
  clock.advanceMs(200);
  ramp.tick();
  assert.equal(opened.length, 2, 'reopened within the first ceiling (100 ms, 25 ms slots)');
  assert.equal(opened[1], c);
  clock.advanceMs(1500);
  ramp.sweep();
  assert.equal(c.aborted, 'ETIMEDOUT');
});

test('a connection whose WebSocket opened but whose session the server never acknowledges is aborted as session-timeout', () => {
  const { opened, ramp, clock } = setup({ count: 2, rate: 1000, maxPending: 10 });
  clock.advanceMs(10);
  ramp.tick();
  const [slow, fine] = opened;
  slow.state = WsState.OPEN;
  fine.state = WsState.OPEN;
  ramp.settled(fine as unknown as Subscriber);
  clock.advanceMs(999);
  ramp.sweep();
  assert.equal(slow.aborted, undefined, 'not before the timeout');
  clock.advanceMs(2);
  ramp.sweep();
  assert.equal(slow.aborted, 'session-timeout');
  assert.equal(fine.aborted, undefined, 'a subscribed connection is no longer in the ramp');
});

test('ticking at the pace the ramp asks for holds the rate; an idle ramp ticks every 100 ms until a connection drops', () => {
  const { clock, opened, ramp } = setup({ count: 600, rate: 150, maxPending: 100_000 });
  assert.equal(ramp.nextTickMs(), 4000 / 150, 'about 4 connections a tick');
  let ticks = 0;
  const t0 = clock.monotonicMs();
  while (clock.monotonicMs() - t0 < 2000) {
    ramp.tick();
    ticks++;
    for (const c of ramp.pending.keys()) ramp.settled(c);
    clock.advanceMs(ramp.nextTickMs());
  }
  assert.ok(opened.length >= 290 && opened.length <= 320, `${opened.length} in 2 s at 150/s`);
  assert.ok(ticks <= 80, `${ticks} ticks in 2 s`);
  while (opened.length < 600) {
    ramp.tick();
    for (const c of ramp.pending.keys()) ramp.settled(c);
    clock.advanceMs(ramp.nextTickMs());
  }
  for (const c of ramp.pending.keys()) ramp.settled(c);
  assert.equal(ramp.nextTickMs(), 100);
  ramp.retry(opened[0] as unknown as Subscriber);
  assert.ok(ramp.nextTickMs() < 100);
  assert.equal(setup({ count: 10, rate: 100_000, maxPending: 10 }).ramp.nextTickMs(), 5, 'never more often than every 5 ms');
});

test('a server slow to set sessions up (a broker just restarted on a busy host) is not stormed: every connection comes up', () => {
  // The server sets up 100 sessions a second, first come first served, and works through
  // attempts the client has already abandoned (a storm of timeouts wastes its time). With every
  // attempt in flight at once (2,000 > 100/s x 1 s timeout) almost none would finish in time, be
  // retried, and time out again: the ramp must shrink what it keeps in flight.
  const N = 2000;
  const { clock, ramp } = setup({ count: N, rate: 1_000_000, maxPending: N });
  const queue: { c: Fake; gen: number }[] = [];
  const gen = new Map<Fake, number>();
  let subscribed = 0;
  const seen = new Set<Fake>();
  const wrapOpen = ramp as unknown as { open: (c: Subscriber) => void };
  const open = wrapOpen.open;
  wrapOpen.open = (c) => {
    open(c);
    const f = c as unknown as Fake;
    f.aborted = undefined;
    gen.set(f, (gen.get(f) ?? 0) + 1);
    queue.push({ c: f, gen: gen.get(f) as number });
  };
  let credit = 0;
  for (let t = 0; t < 120_000 && subscribed < N; t += 10) {
    ramp.tick();
    credit += 100 * 0.01;
    while (credit >= 1 && queue.length) {
      credit--;
      const { c, gen: g } = queue.shift() as { c: Fake; gen: number };
      if (g === gen.get(c) && c.aborted === undefined && ramp.pending.has(c as unknown as Subscriber)) {
        ramp.succeeded(c as unknown as Subscriber);
        if (!seen.has(c)) seen.add(c), subscribed++;
      }
    }
    ramp.sweep();
    for (const c of [...ramp.pending.keys()] as unknown as Fake[]) {
      if (c.aborted !== undefined) {
        ramp.settled(c as unknown as Subscriber);
        ramp.retry(c as unknown as Subscriber);
      }
    }
    clock.advanceMs(10);
  }
  assert.equal(subscribed, N, `${subscribed} of ${N} subscribed within 120 s at 100 sessions/s`);
});
