import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyStats } from '@mdbench/core/internal';
import { clientInstances, mergeSummaries, readLogs } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'mdbench-report-'));
const bin = new URL('../bin/mdbench-report.js', import.meta.url).pathname;

/** A client summary record as mdbench-client writes it, from raw latencies. */
function record(instance: number, latenciesUs: number[], extra: Record<string, unknown> = {}) {
  const l = new LatencyStats();
  const o = new LatencyStats();
  for (const v of latenciesUs) l.record(v), o.record(v / 2);
  const base = {
    v: 1,
    tool: 'mdbench-client',
    version: 'test',
    host: `h${instance}`,
    pid: 100 + instance,
    instance,
    instances: 3,
    processes: 1,
    configDigest: 'x',
    clockOffsetUs: 10,
    clockRttUs: 50,
  };
  const counters = { messages: latenciesUs.length, gaps: 0 };
  const gauges = {
    open: 10,
    connected: 10,
    subscribed: 10,
    connecting: 0,
    reconnecting: 0,
    planned: 10,
    failed: 0,
    firstConnectMs: 1_800_000_000_000,
    lastOpenMs: 1_800_000_000_100,
    lastSubscribedMs: 1_800_000_000_200,
  };
  const flow = { firstMessageUs: 1_800_000_000_000_000, lastMessageUs: 1_800_000_005_000_000 };
  const interval = {
    ...base,
    protocol: 'native',
    type: 'interval',
    ts: new Date(1_800_000_000_000 + 5000).toISOString(),
    uptimeS: 5,
    seconds: 5,
    latency: l.toWire(),
    latencyOther: o.toWire(),
    counters,
    errors: {},
    gauges,
    loopDelay: { p99Ms: 1, maxMs: 2 },
    ...flow,
    rssBytes: 1,
    heapUsedBytes: 1,
    rssStartBytes: 1,
    perProcess: [],
  };
  const summary = { ...interval, type: 'summary', ts: new Date(1_800_000_000_000 + 5000).toISOString(), ...extra };
  return `${JSON.stringify(interval)}\n${JSON.stringify(summary)}\n`;
}

test('merging the logs of 3 instances gives exactly the statistics of one run over the union of their data', () => {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const parts = [0, 1, 2].map((k) => Array.from({ length: 5000 + k * 1111 }, () => Math.round(200 + rand() * rand() * 900_000)));
  parts.forEach((p, k) => writeFileSync(join(dir, `client-${k + 1}.jsonl`), record(k + 1, p)));
  const union = new LatencyStats();
  for (const v of parts.flat()) union.record(v);
  const merged = mergeSummaries(clientInstances(readLogs([1, 2, 3].map((k) => join(dir, `client-${k}.jsonl`))))).stats;
  assert.equal(merged.latency.welford.count, union.welford.count);
  assert.ok(Math.abs(merged.latency.welford.mean - union.welford.mean) < 1e-9 * union.welford.mean);
  assert.ok(Math.abs(merged.latency.welford.stdev - union.welford.stdev) < 1e-9 * union.welford.stdev);
  assert.equal(merged.latency.welford.min, union.welford.min);
  assert.equal(merged.latency.welford.max, union.welford.max);
  for (const p of [50, 90, 99, 99.9, 99.99, 100]) assert.equal(merged.latency.percentileUs(p), union.percentileUs(p), `p${p}`);
  assert.equal(merged.count('messages'), parts.flat().length);
});

test('the report flags an instance that differs and a clock offset', () => {
  writeFileSync(
    join(dir, 'slow.jsonl'),
    record(
      4,
      Array.from({ length: 100 }, () => 5_000_000),
      { clockOffsetUs: 40_000 },
    ).replace(/"clockOffsetUs":10/g, '"clockOffsetUs":40000'),
  );
  const r = spawnSync(process.execPath, [bin, join(dir, 'client-*.jsonl'), join(dir, 'slow.jsonl')], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\[INFO\] Fleet: 4 client instance\(s\) from 4 file\(s\)/);
  assert.match(r.stdout, /\[WARN\] instance 4 \(h4\) differs: latency mean, latency p99, message rate, clock offset/);
  assert.doesNotMatch(r.stdout, /instance 1 \(h1\) differs/);
});

test('bad input: one line naming the file and line', () => {
  const good = readFileSync(join(dir, 'client-1.jsonl'), 'utf8').split('\n')[0];
  writeFileSync(join(dir, 'broken.jsonl'), `${good}\nnot json\n`);
  const r = spawnSync(process.execPath, [bin, join(dir, 'broken.jsonl')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `mdbench-report: error: ${join(dir, 'broken.jsonl')}:2: line 2 is not JSON\n`);
  writeFileSync(join(dir, 'partial.jsonl'), '{"v":1,"tool":"mdbench-client","type":"summary"}\n');
  const p = spawnSync(process.execPath, [bin, join(dir, 'partial.jsonl')], { encoding: 'utf8' });
  assert.equal(p.status, 2);
  assert.match(p.stderr, /^mdbench-report: error: .*partial\.jsonl:1: mdbench-client record: version should be string, got nothing\n$/);
  const none = spawnSync(process.execPath, [bin, join(dir, 'nothing-*.jsonl')], { encoding: 'utf8' });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /matches no file/);
});
