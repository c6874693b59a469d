import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyStats, type ClientRecord, type PublisherRecord } from '@mdbench/core/internal';
import { clientInstances, gridOf, mergeIntervals } from './merge.js';
import type { LogRecord } from './read-logs.js';

const T0 = 1_800_000_000_000;
const gauges = (open: number) => ({
  open,
  connected: open,
  subscribed: open,
  connecting: 0,
  reconnecting: 0,
  planned: open,
  failed: 0,
  firstConnectMs: T0,
  lastOpenMs: T0,
  lastSubscribedMs: T0,
});

/** A client interval record ending `atS` after T0, covering `seconds`, with `messages` received. */
function clientInterval(pid: number, atS: number, seconds: number, messages: number, open: number): LogRecord {
  const l = new LatencyStats();
  for (let i = 0; i < messages; i++) l.record(1000);
  const r = {
    v: 1,
    type: 'interval',
    tool: 'mdbench-client',
    version: 't',
    host: 'h',
    pid,
    instance: 1,
    instances: 1,
    processes: 1,
    ts: new Date(T0 + atS * 1000).toISOString(),
    uptimeS: atS,
    seconds,
    protocol: 'native',
    configDigest: 'x',
    clockOffsetUs: null,
    clockRttUs: null,
    latency: l.toWire(),
    latencyOther: new LatencyStats().toWire(),
    counters: { messages },
    errors: {},
    gauges: gauges(open),
    loopDelay: { p99Ms: 1, maxMs: 1 },
    rssBytes: 1,
    heapUsedBytes: 1,
    rssStartBytes: 1,
    perProcess: [],
  } as unknown as ClientRecord;
  return { ...r, _file: `c${pid}.jsonl` };
}

function publisherInterval(atS: number, seconds: number, sent: number): LogRecord {
  const r = {
    v: 1,
    type: 'interval',
    tool: 'mdbench-publisher',
    host: 'p',
    pid: 9,
    ts: new Date(T0 + atS * 1000).toISOString(),
    seconds,
    sent,
    targetRatePerSec: 1000,
  };
  return { ...(r as unknown as PublisherRecord), _file: 'p.jsonl' };
}

test('records 2 to 8 s apart on a 5 s grid: gauges once per instance and slot, rates over the time the records cover', () => {
  // Instance A: records every 5 s. Instance B (a delayed event loop): at 2.4, 4.8, then 13 s (8.2 s later).
  // Every interval of both receives 1,000 messages/s; each instance holds 1,000 connections.
  const records: LogRecord[] = [];
  for (const at of [5, 10, 15]) records.push(clientInterval(1, at, 5, 5000, 1000));
  let last = 0;
  for (const at of [2.4, 4.8, 13]) {
    records.push(clientInterval(2, at, at - last, Math.round((at - last) * 1000), 1000));
    last = at;
  }
  // The publisher's records, also bunched: two land in the first slot.
  records.push(publisherInterval(2.5, 2.5, 2500), publisherInterval(5, 2.5, 2500), publisherInterval(10, 5, 5000), publisherInterval(15, 5, 5000));
  const slots = mergeIntervals(clientInstances(records), records);
  for (const s of slots) {
    assert.equal(s.fleet.gauges.open, 2000, `slot at ${s.atS} s shows ${s.fleet.gauges.open} connections for 2,000`);
    assert.ok(s.publishedPerSec <= 1000 * 1.001, `slot at ${s.atS} s shows the publisher at ${s.publishedPerSec} msg/s for 1,000`);
  }
  const first = slots[0];
  assert.equal(first.fleet.gauges.open, 2000);
  assert.equal(first.publishedPerSec, 1000);
  assert.equal(first.targetRatePerSec, 1000);
  // Instance B's two records of the first slot cover 4.8 s: its rate there is 1,000/s, not 2,000/s.
  assert.equal(first.fleet.stats.count('messages'), 5000 + 4800);
  assert.equal(first.seconds, 5);
});

test("the slot grid: the configured interval from what the intervals measured (the first left out, snapped to 50 ms); --follow's slots keep their times as records arrive", () => {
  // 1 s intervals as a busy client measures them: the first 1.019 s, the others within 16 ms.
  const measured = [1.019, 0.984, 1.0006, 0.9993, 1.004];
  let at = 0;
  const records = measured.map((sec) => clientInterval(1, (at += sec), sec, 10, 5));
  const early = gridOf(clientInstances(records.slice(0, 2)));
  const late = gridOf(clientInstances(records));
  assert.deepEqual(early, late);
  assert.equal(late?.stepS, 1);
  const first = mergeIntervals(clientInstances(records.slice(0, 3)), [], early).map((m) => m.atMs);
  const all = mergeIntervals(clientInstances(records), [], early).map((m) => m.atMs);
  assert.deepEqual(all.slice(0, first.length), first, 'slots drawn early keep their times');
  // Records that carry their --interval: the grid is the setting, whatever a loaded host measured
  // (a late report followed by short ones).
  at = 0;
  const loaded = [2.4, 0.05, 0.3, 0.25, 1].map((sec) => ({ ...clientInterval(1, (at += sec), sec, 10, 5), intervalS: 1 }) as LogRecord);
  assert.equal(gridOf(clientInstances(loaded))?.stepS, 1);
});
