import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, RateSchedule, type PacerTimers } from '../internal.js';

/** Simulated time: timers fire in order; a timeout of `ms` fires after max(ms, 1) ms plus `jitterUs`. */
class SimTimers implements PacerTimers {
  now = 1_000_000_000;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  jitterUs = 80;
  /** Extra delay added once, to the next timer that fires after `stallAt` (a blocked event loop). */
  stallAt = Infinity;
  stallUs = 0;

  scheduled = 0;
  nowUs(): number {
    return this.now;
  }
  schedule(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.scheduled++;
    let at = this.now + (ms <= 0 ? 5 : ms * 1000 + this.jitterUs);
    if (at >= this.stallAt) {
      at += this.stallUs;
      this.stallAt = Infinity;
    }
    this.queue.push({ at, fn, id });
    this.queue.sort((a, b) => a.at - b.at);
    return id;
  }
  cancel(h: unknown): void {
    this.queue = this.queue.filter((e) => e.id !== h);
  }
  runUntil(t: number): void {
    while (this.queue.length && this.queue[0].at <= t) {
      const e = this.queue.shift()!;
      this.now = e.at;
      e.fn();
    }
    this.now = t;
  }
}

function setup(rate: number, opts: { maxBatch?: number; limit?: number } = {}) {
  const timers = new SimTimers();
  const sends: { first: number; count: number; now: number }[] = [];
  let accept = Infinity;
  const pacer = new Pacer({ ratePerSec: rate, maxBatch: opts.maxBatch ?? 1000, limit: opts.limit, startUs: timers.now }, timers, (first, count, now) => {
    const n = Math.min(count, accept);
    if (n > 0) sends.push({ first, count: n, now });
    return n;
  });
  return { timers, sends, pacer, refuse: (v: number) => (accept = v) };
}

test('schedule: message k is due at start + k / rate', () => {
  const s = new RateSchedule(25000, 1000);
  assert.equal(s.timeOf(0), 1000);
  assert.equal(s.timeOf(25000), 1_001_000);
  assert.equal(s.dueBy(999), 0);
  assert.equal(s.dueBy(1000), 1);
  assert.equal(s.dueBy(1039), 1);
  assert.equal(s.dueBy(1040), 2);
});

test('the rate is held in every simulated second, and nothing is sent early', () => {
  const { timers, sends, pacer } = setup(25000);
  const t0 = timers.now;
  pacer.start();
  timers.runUntil(t0 + 10_000_000);
  pacer.stop();
  const perSecond = new Array(10).fill(0);
  for (const s of sends) {
    for (let k = s.first; k < s.first + s.count; k++) {
      const due = pacer.schedule.timeOf(k);
      assert.ok(due <= s.now, `message ${k} sent ${due - s.now} µs early`);
      const sec = Math.floor((due - t0) / 1e6);
      if (sec < 10) perSecond[sec]++;
    }
  }
  for (const n of perSecond.slice(0, 9)) assert.equal(n, 25000);
  assert.ok(perSecond[9] >= 25000 - 30, `last second ${perSecond[9]}`);
  // Every message due more than one timer period ago has gone out.
  assert.ok(pacer.next >= pacer.schedule.dueBy(timers.now - 1200));
  const maxLag = Math.max(...sends.map((s) => s.now - pacer.schedule.timeOf(s.first)));
  assert.ok(maxLag < 1200, `lag ${maxLag} µs`);
});

test('after a stall the backlog is caught up in batches no larger than maxBatch, and the lag shows it', () => {
  const { timers, sends, pacer } = setup(10000, { maxBatch: 500 });
  const t0 = timers.now;
  timers.stallAt = t0 + 2_000_000;
  timers.stallUs = 300_000;
  pacer.start();
  timers.runUntil(t0 + 4_000_000);
  assert.ok(sends.every((s) => s.count <= 500));
  const lags = sends.map((s) => s.now - pacer.schedule.timeOf(s.first));
  const worst = Math.max(...lags);
  assert.ok(worst >= 300_000 && worst < 310_000, `worst lag ${worst}`);
  // Caught up: by the end every due message was sent, none early.
  assert.ok(pacer.next >= pacer.schedule.dueBy(timers.now - 1200));
  for (const s of sends) assert.ok(pacer.schedule.timeOf(s.first + s.count - 1) <= s.now);
  const total = sends.reduce((a, s) => a + s.count, 0);
  assert.equal(total, pacer.next);
});

test('a sink that pushes back is retried; the limit stops the pacer and calls onDone', () => {
  const { timers, sends, pacer, refuse } = setup(1000, { limit: 2500 });
  let done = false;
  refuse(0);
  pacer.start(() => (done = true));
  timers.runUntil(timers.now + 500_000);
  assert.equal(sends.length, 0);
  assert.ok(pacer.backlogUs(timers.now) >= 490_000);
  refuse(Infinity);
  timers.runUntil(timers.now + 5_000_000);
  assert.ok(done);
  assert.equal(pacer.next, 2500);
  assert.equal(
    sends.reduce((a, s) => a + s.count, 0),
    2500,
  );
});

test('low rates sleep between messages instead of spinning', () => {
  const { timers, sends, pacer } = setup(2);
  pacer.start();
  timers.runUntil(timers.now + 10_000_000 - 1);
  assert.equal(sends.length, 20);
  assert.ok(timers.scheduled <= 45, `${timers.scheduled} wake-ups for 20 messages`);
});
