import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeStamp } from '@mdbench/core/internal';
import { ManualClock } from '@mdbench/core/testing';
import { MessageSink } from './message-sink.js';
import { senderIdOf } from './publishing.js';
import { Subscriber, type SubscriberContext } from './subscriber.js';

const ctx = { clientIdBase: 't', events: {}, sessions: {} } as unknown as SubscriberContext;

test('latency from the scheduled time (and the sent time beside it), integrity per stream, unstamped counted apart', () => {
  const clock = new ManualClock(1_000_000_000);
  const sink = new MessageSink(clock, 'scheduled');
  const c = new Subscriber(ctx, 0);
  c.subjects = '/a';
  const payload = Buffer.alloc(64, 0x41);
  sink.arrived();
  for (const seq of [1, 2, 4]) {
    writeStamp(payload, 0, { publisherId: 9, seq, scheduledUs: clock.us - 3000, sentUs: clock.us - 1000 }, 'binary');
    sink.message(c, '/a', payload);
  }
  sink.message(c, '/a', Buffer.from("someone else's message without a stamp"));
  sink.message(c, '/b', payload);
  const w = sink.take({}, { p99Ms: 0, maxMs: 0 });
  assert.equal(w.latency.welford.count, 4);
  assert.equal(w.latency.welford.mean, 3000);
  assert.equal(w.latencyOther.welford.mean, 1000);
  assert.deepEqual(
    { ...w.counters },
    { messages: 4, bytes: 4 * 64 + 38, unstamped: 1, unexpectedSubject: 1, gaps: 1, duplicates: 1, outOfOrder: 0, joinedAfter: 0 },
  );
  assert.equal(w.firstMessageUs, clock.us);
  const next = sink.take({}, { p99Ms: 0, maxMs: 0 });
  assert.equal(next.latency.welford.count, 0);
  assert.deepEqual({ ...next.counters }, { gaps: 0, duplicates: 0, outOfOrder: 0, joinedAfter: 0 });
});

test('the warm-up of the measuring path leaves nothing behind: the first real message is the first measured and counted', () => {
  const clock = new ManualClock(1_700_000_000_000_000);
  const sink = new MessageSink(clock, 'scheduled', false, 2);
  const scratch = { hasSubject: () => true, observe: () => {} } as never;
  sink.warmUp(scratch, '/w', 5000);
  const empty = sink.take({}, { p99Ms: 0, maxMs: 0 });
  assert.equal(empty.latency.welford.count, 0);
  assert.deepEqual(empty.counters, { gaps: 0, duplicates: 0, outOfOrder: 0, joinedAfter: 0 });
  assert.equal(empty.firstMessageUs, 0);
  // --warmup 2 still starts at the first real message: it is counted as a warm-up message.
  const c = { hasSubject: () => true, observe: () => {} } as never;
  const payload = Buffer.alloc(64);
  writeStamp(payload, 0, { publisherId: 1, seq: 1, scheduledUs: clock.nowUs() - 100, sentUs: clock.nowUs() - 50 }, 'binary');
  sink.message(c, '/p/s1/-', payload);
  assert.equal(sink.take({}, { p99Ms: 0, maxMs: 0 }).counters.warmupMessages, 1);
});

test("a connection's own message, delivered back to it, is counted apart: not measured, not in its streams", () => {
  const clock = new ManualClock(1_000_000_000);
  const sink = new MessageSink(clock, 'scheduled');
  const c = new Subscriber(ctx, 5);
  c.subjects = '/room';
  const payload = Buffer.alloc(64, 0x41);
  writeStamp(payload, 0, { publisherId: senderIdOf(5), seq: 3, scheduledUs: clock.us - 3000, sentUs: clock.us - 1000 }, 'binary');
  sink.message(c, '/room', payload);
  writeStamp(payload, 0, { publisherId: senderIdOf(6), seq: 1, scheduledUs: clock.us - 3000, sentUs: clock.us - 1000 }, 'binary');
  sink.message(c, '/room', payload);
  const w = sink.take({}, { p99Ms: 0, maxMs: 0 });
  assert.equal(w.latency.welford.count, 1);
  assert.deepEqual({ ...w.counters }, { selfDelivered: 1, messages: 1, bytes: 64, gaps: 0, duplicates: 0, outOfOrder: 0, joinedAfter: 0 });
});

test('back after closing itself, a connection counts the gap of each stream across its absence as missed offline, later gaps as lost', () => {
  const c = new Subscriber(ctx, 0);
  c.subjects = ['/a', '/b'];
  const counts = { gaps: 0, duplicates: 0, outOfOrder: 0, joinedAfter: 0, missedOffline: 0 };
  for (const seq of [1, 2]) {
    c.observe(9, '/a', seq, counts);
    c.observe(9, '/b', seq, counts);
  }
  c.rejoined();
  c.observe(9, '/a', 6, counts);
  c.observe(9, '/b', 5, counts);
  assert.deepEqual([counts.gaps, counts.missedOffline], [0, 5]);
  c.observe(9, '/a', 8, counts);
  c.observe(9, '/b', 7, counts);
  assert.deepEqual([counts.gaps, counts.missedOffline], [2, 5]);
});
