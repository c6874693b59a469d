import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newStamp, readStamp, type Counters, type RunProtocol } from '@mdbench/core/internal';
import { ManualClock } from '@mdbench/core/testing';
import { ClientPublishing, senderIdOf } from './publishing.js';
import { SCHEDULE_TICK_MS } from './schedule.js';
import { Level, type Subscriber } from './subscriber.js';

/** A protocol whose publish is the payload itself (the binary stamp at its start). */
const bare = { stamp: 'binary', attachment: false, publishBytes: (_t: string, n: number) => n, writePublish: copyPayload } as unknown as RunProtocol;
function copyPayload(out: Buffer, at: number, _s: unknown, _topic: string, payload: Buffer): number {
  payload.copy(out, at);
  return at + payload.length;
}

/** A connection as publishing sees it: what it sent, by topic, with the stamps read back. */
function conn(index: number, subjects: string | string[]) {
  const sent: { seq: number; sender: number; scheduledUs: number }[] = [];
  const c = {
    index,
    subjects,
    level: Level.SUBSCRIBED,
    socket: { writableLength: 0 },
    published: 0,
    publishDueMs: 0,
    send(m: Buffer) {
      const st = newStamp();
      assert.ok(readStamp(m, 0, m.length, st));
      sent.push({ seq: st.seq, sender: st.publisherId, scheduledUs: st.scheduledUs });
    },
  };
  return { c, sent, s: c as unknown as Subscriber };
}

function run(p: ClientPublishing, clock: ManualClock, ms: number): void {
  for (let t = 0; t < ms; t += SCHEDULE_TICK_MS) {
    clock.advanceMs(SCHEDULE_TICK_MS);
    p.schedule.tick();
  }
}

test('each connection publishes at its rate from a random phase, stamped with its sender id, its subjects in turn with a sequence each', () => {
  const clock = new ManualClock();
  const counters: Counters = {};
  const p = new ClientPublishing({ protocol: bare, rate: 10, messageSize: 64, clock, counters, rand: () => 0.5 });
  const one = conn(7, '/a');
  const two = conn(8, ['/x', '/y']);
  p.schedule.start([one.s, two.s]);
  const startUs = clock.nowUs();
  run(p, clock, 1000);
  // Due at 50, 150, ... 950 ms: ten in the second, each stamped with its due time (not the tick's).
  assert.deepEqual(
    one.sent.map((m) => m.seq),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    one.sent.map((m) => (m.scheduledUs - startUs) / 1000),
    [50, 150, 250, 350, 450, 550, 650, 750, 850, 950],
  );
  assert.ok(one.sent.every((m) => m.sender === senderIdOf(7) && m.sender >= 0x8000_0000));
  // Two subjects in turn: message n to subject n mod 2 with sequence floor(n / 2) + 1.
  assert.deepEqual(
    two.sent.map((m) => m.seq),
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
  );
  assert.equal(counters.published, 20);
});

test('a message due while its connection is down or backlogged is not sent and takes no sequence number; a long stall catches up at most 100', () => {
  const clock = new ManualClock();
  const counters: Counters = {};
  const p = new ClientPublishing({ protocol: bare, rate: 100, messageSize: 64, clock, counters, rand: () => 0.5 });
  const a = conn(1, '/a');
  p.schedule.start([a.s]);
  run(p, clock, 100);
  assert.equal(a.sent.length, 10);
  a.c.level = Level.OPEN;
  run(p, clock, 100);
  a.c.level = Level.SUBSCRIBED;
  a.c.socket.writableLength = 2 * 1024 * 1024;
  run(p, clock, 100);
  a.c.socket.writableLength = 0;
  run(p, clock, 100);
  assert.equal(counters.publishMissed, 20);
  assert.deepEqual(
    a.sent.map((m) => m.seq),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  // The event loop stalled for 2 s: 200 messages overdue, 100 written at once, the rest counted as not sent.
  clock.advanceMs(2000);
  p.schedule.tick();
  assert.equal(a.sent.length, 120);
  assert.equal(counters.publishMissed, 120);
  p.schedule.stop();
  run(p, clock, 100);
  assert.equal(a.sent.length, 120);
});
