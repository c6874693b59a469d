import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, jsonLines, run, sleep, startServer, summaryOf } from '../tools/harness/processes.mjs';
import { freePort, signalTree } from './helpers/faults.js';

// Reconnect storms: every connection dropped at once, by the client itself (--drop-all-at) or by
// the server killed and restarted; the Recovery line times the return of 50/90/99/100% of the
// planned connections, with the attempts it took, and agrees with the interval records' gauges.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-storm-'));
const CLIENTS = 1000;

function clientArgs(port: number, json: string, extra: string[]): string[] {
  return [
    '-s',
    `127.0.0.1:${port}`,
    '--clients',
    String(CLIENTS),
    '--subjects',
    '/p/s{1..10}/-',
    '--local-addresses',
    '127.0.6.{1..2}',
    '--local-ports',
    '23000-23999',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '1',
    '--interval',
    '1',
    '--json',
    json,
    ...extra,
  ];
}

test('--drop-all-at: 1,000 connections dropped at once reconnect; the Recovery line times 50/90/99/100% back, and the recovery threshold is judged', async () => {
  const server = await startServer(['--workers', '2']);
  const json = join(dir, 'made.jsonl');
  const client = new Proc('client', clientArgs(server.port, json, ['--drop-all-at', '4', '--duration', '10', '--thresholds', 'recovery.p99<30s']));
  try {
    assert.equal(await client.exited, 0, client.stdout + client.stderr);
  } finally {
    await server.stop();
  }
  assert.match(client.stdout, /Storm: every connection dropped at once \(--drop-all-at 4\.0 s\): 1,000 open/);
  assert.match(client.stdout, /Recovery: 50% [\d.]+ s, 90% [\d.]+ s, 99% [\d.]+ s, 100% [\d.]+ s after the drop of 1,000 at 4\.\d s \(--drop-all-at\)/);
  assert.match(client.stdout, /Threshold: recovery\.p99<30s passed/);
  const s = summaryOf(json);
  const [r] = s.recoveries;
  assert.equal(s.recoveries.length, 1);
  assert.equal(r.cause, 'made');
  assert.equal(r.dropped, CLIENTS);
  // Full jitter on a 0.2 s first backoff: all back within a few seconds, in order.
  assert.ok(r.backS.p50 <= r.backS.p90 && r.backS.p90 <= r.backS.p99 && r.backS.p99 <= r.backS.p100 && r.backS.p100 < 5, JSON.stringify(r));
  assert.ok(r.attempts >= CLIENTS, `attempts ${r.attempts}`);
  assert.equal(s.counters.dropsMade, CLIENTS);
  // mdbench-report merges the instances' recoveries (one instance here: its own marks, as upper bounds).
  const report = await run('report', [json]);
  assert.match(
    report.stdout,
    /Recovery: 50% <= [\d.]+ s, 90% <= [\d.]+ s, 99% <= [\d.]+ s, 100% <= [\d.]+ s after the drop of 1,000 at \S+ \(1 instance\(s\)\)/,
  );
  assert.deepEqual(s.errors, {}, 'a drop of its own making is not an error');
  assert.equal(s.gauges.subscribed, CLIENTS);
});

test('a storm from the server killed and restarted 2 s later: seen in the gauges and timed; the interval records show the connections down in between', async () => {
  const port = await freePort();
  let server = await startServer(['--listen', `127.0.0.1:${port}`, '--workers', '2']);
  const json = join(dir, 'seen.jsonl');
  const client = new Proc('client', clientArgs(port, json, ['--duration', '60']));
  try {
    await client.waitFor(/Connected: 1,000 open, 1,000 subscribed/, 30_000);
    await sleep(2000);
    signalTree(server.proc.child.pid as number, 'SIGKILL');
    await server.proc.exited;
    await sleep(2000);
    server = await startServer(['--listen', `127.0.0.1:${port}`, '--workers', '2']);
    await client.waitFor(/Recovery: 50% [\d.]+ s, 90% [\d.]+ s, 99% [\d.]+ s, 100% [\d.]+ s after the drop of 1,000/, 30_000);
    await sleep(2500); // two more interval records, with everyone back
    client.kill('SIGINT');
    await client.exited;
  } finally {
    client.kill('SIGKILL');
    await server.stop();
  }
  const records = jsonLines(readFileSync(json, 'utf8'));
  const s = records.find((x) => x.type === 'summary');
  const [r] = s.recoveries;
  assert.equal(r.cause, 'seen');
  assert.equal(r.dropped, CLIENTS);
  // The server was away 2 s: nobody can be back sooner.
  assert.ok(r.backS.p50 >= 1.5 && r.backS.p100 >= r.backS.p50, JSON.stringify(r));
  // The records of the intervals that ended during the recovery show connections down; those after it, all up.
  const intervals = records.filter((x) => x.type === 'interval');
  const shown = JSON.stringify({ r, gauges: intervals.map((x) => [x.uptimeS, x.gauges.subscribed]) });
  const storm = intervals.filter((x) => x.uptimeS > r.atS && x.uptimeS < r.atS + r.backS.p100);
  assert.ok(
    storm.some((x) => x.gauges.subscribed < CLIENTS / 2),
    shown,
  );
  // Those that ended before half were back (a loaded host may stretch an interval past them all) show fewer than half.
  const beforeHalf = intervals.filter((x) => x.uptimeS > r.atS + 0.5 && x.uptimeS < r.atS + r.backS.p50 - 0.3);
  assert.ok(
    beforeHalf.every((x) => x.gauges.subscribed < CLIENTS / 2),
    shown,
  );
  const after = records.filter((x) => x.type === 'interval' && x.uptimeS > r.atS + r.backS.p100 + 0.5);
  assert.ok(after.length > 0 && after.every((x) => x.gauges.subscribed === CLIENTS), shown);
  assert.ok(s.counters.reconnects >= CLIENTS);
});
