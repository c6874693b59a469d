import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Counters, RunProtocol } from '@mdbench/core/internal';
import { LatencyStats } from '@mdbench/core/stats';
import { ManualClock } from '@mdbench/core/testing';
import { ClientRequests } from './requests.js';
import { Level, type Subscriber } from './subscriber.js';

/** A protocol whose request is `id u32` then the payload. */
const idFirst = {
  requestBytes: (_s: unknown, _t: string, n: number) => 4 + n,
  writeRequest: (out: Buffer, at: number, _s: unknown, _t: string, id: number, payload: Buffer) => {
    out.writeUInt32BE(id, at);
    payload.copy(out, at + 4);
    return at + 4 + payload.length;
  },
} as unknown as RunProtocol;

function conn(index: number) {
  const ids: number[] = [];
  const c = {
    index,
    subjects: '/a',
    level: Level.SUBSCRIBED,
    socket: { writableLength: 0 },
    requested: 0,
    requestDueMs: 0,
    send: (m: Buffer) => ids.push(m.readUInt32BE(0)),
  };
  return { ids, s: c as unknown as Subscriber };
}

test('each reply is matched to its request by id on its connection: round trip from the write; no reply within the timeout is a timeout, one after it late', () => {
  const clock = new ManualClock();
  const counters: Counters = {};
  const rtt = new LatencyStats();
  const r = new ClientRequests({ protocol: idFirst, rate: 10, timeoutS: 1, messageSize: 16, clock, counters, rtt, rand: () => 0.5 });
  const a = conn(1);
  const b = conn(2);
  r.schedule.start([a.s, b.s]);
  clock.advanceMs(60);
  r.schedule.tick();
  assert.equal(a.ids.length, 1);
  assert.equal(b.ids.length, 1);
  // a's reply after 3 ms; b's reply arrives on a (not its connection): stray, counted late.
  clock.advanceMs(3);
  r.answered(a.s, a.ids[0]);
  r.answered(a.s, b.ids[0]);
  assert.equal(rtt.welford.count, 1);
  assert.equal(rtt.welford.mean, 3000);
  assert.equal(r.waiting, 1);
  // b's request times out a second after it was written; its reply then is late.
  clock.advanceMs(1100);
  r.expire();
  assert.equal(counters.requestTimeouts, 1);
  r.answered(b.s, b.ids[0]);
  assert.deepEqual({ requests: counters.requests, replies: counters.replies, late: counters.lateReplies }, { requests: 2, replies: 1, late: 2 });
  // Requests of the last ticks unanswered at the end are counted as timed out.
  r.schedule.tick();
  assert.ok(r.waiting > 0);
  const waiting = r.waiting;
  r.giveUp();
  assert.equal(counters.requestTimeouts, 1 + waiting);
  assert.equal(r.waiting, 0);
});
