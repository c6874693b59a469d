import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, binPath, run, startServer, summaryOf } from '../tools/harness/processes.mjs';

// --thresholds and --abort-on-fail, end to end: real runs judged both ways, with their exit codes.
const dir = mkdtempSync(join(tmpdir(), 'mdbench-thresholds-'));
const subjects = '/p/s{1..50}/-';
const report = (args: string[]) => spawnSync(process.execPath, [binPath('report'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

test("a run judged by its thresholds: met, exit 0; one crossed, exit 99 with its measured value; the report judges the fleet's logs the same way", async () => {
  const server = await startServer(['--workers', '1']);
  const url = `127.0.0.1:${server.port}`;
  const json = join(dir, 'client.jsonl');
  const pubJson = join(dir, 'publisher.jsonl');
  // One client: two thresholds it meets, one no run can meet.
  const client = new Proc('client', [
    '-s',
    url,
    '--clients',
    '50',
    '--subjects',
    subjects,
    '--one-to-one',
    '--interval',
    '1',
    '--json',
    json,
    '--thresholds',
    'p99<10s,loss=0,subscribed>=100%,connect.p99<30s,p50<1us',
  ]);
  await client.waitFor(/Connected: 50 open, 50 subscribed/, 60_000);
  const pub = await run('publisher', [
    '-s',
    url,
    '--subjects',
    subjects,
    '--frequency',
    '500',
    '--messages',
    '1000',
    '--interval',
    '1',
    '--json',
    pubJson,
    '--thresholds',
    'rate>=90%,lag<10s,errors=0',
  ]);
  assert.equal(pub.code, 0, pub.stdout + pub.stderr);
  assert.match(pub.stdout, /Threshold: rate>=90% passed \([\d.]+%\)/);
  assert.match(pub.stdout, /Threshold: lag<10s passed \([\d.]+ ms\)/);
  for (let t = 0; t < 50 && !/Total messages: 1,000/.test(client.stdout); t++) await new Promise((r) => setTimeout(r, 200));
  client.kill('SIGINT');
  assert.equal(await client.exited, 99, client.stdout.slice(-2000));
  assert.match(client.stdout, /Threshold: p99<10s passed \([\d.]+ ms\)/);
  assert.match(client.stdout, /Threshold: loss=0 passed \(0\)/);
  assert.match(client.stdout, /Threshold: subscribed>=100% passed \(100\.00%\)/);
  assert.match(client.stdout, /Threshold: p50<1us FAILED \([\d.]+ ms\)/);
  assert.match(client.stdout, /Result: errors: thresholds crossed: p50<1us/);
  const s = summaryOf(json);
  assert.deepEqual(
    s.thresholds.map((v: { threshold: string; passed: boolean }) => [v.threshold, v.passed]),
    [
      ['p99<10s', true],
      ['loss=0', true],
      ['subscribed>=100%', true],
      ['connect.p99<30s', true],
      ['p50<1us', false],
    ],
  );
  assert.equal(summaryOf(pubJson).thresholds.length, 3);
  // The publisher's own thresholds, crossed.
  const strict = await run('publisher', ['-s', url, '--subjects', subjects, '--frequency', '500', '--messages', '200', '--thresholds', 'lag<1us']);
  assert.equal(strict.code, 99, strict.stdout);
  assert.match(strict.stdout, /Threshold: lag<1us FAILED/);
  await server.stop();

  // mdbench-report judges the merged records: the publishers' rate and lag included.
  const html = join(dir, 'report.html');
  const met = report([json, pubJson, '--thresholds', 'p99<10s,loss=0,rate>=90%,lag<10s', '--html', html]);
  assert.equal(met.status, 0, met.stdout + met.stderr);
  assert.match(met.stdout, /Threshold: rate>=90% passed/);
  assert.match(readFileSync(html, 'utf8'), /<table id="thresholds"><tr class="passed"><th>p99&#60;10s<\/th>/);
  const crossed = report([json, pubJson, '--thresholds', 'p99<1us']);
  assert.equal(crossed.status, 99);
  assert.match(crossed.stdout, /Threshold: p99<1us FAILED \([\d.]+ ms\)/);
  const bad = report([json, '--thresholds', 'p99<5']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--thresholds: threshold "p99<5" needs a time unit/);
});

test('--abort-on-fail: a server losing messages ends the run once loss=0 has been crossed that long; the summary is still written, exit 99', async () => {
  const server = await startServer(['--workers', '1', '--test-drop-every', '10']);
  const url = `127.0.0.1:${server.port}`;
  const json = join(dir, 'abort.jsonl');
  const client = new Proc('client', [
    '-s',
    url,
    '--clients',
    '50',
    '--subjects',
    subjects,
    '--one-to-one',
    '--interval',
    '1',
    '--duration',
    '120',
    '--json',
    json,
    '--thresholds',
    'loss=0',
    '--abort-on-fail',
    '2',
  ]);
  await client.waitFor(/Connected: 50 open, 50 subscribed/, 60_000);
  const pub = new Proc('publisher', ['-s', url, '--subjects', subjects, '--frequency', '500', '--duration', '60', '--interval', '1']);
  const t0 = Date.now();
  assert.equal(await client.exited, 99, client.stdout.slice(-2000));
  assert.ok(Date.now() - t0 < 30_000, `stopped after ${Date.now() - t0} ms`);
  assert.match(client.stdout, /stopping: loss=0 crossed for 2 s \(--abort-on-fail\)/);
  assert.match(client.stdout, /Stopped: thresholds crossed \(--abort-on-fail\)/);
  assert.match(client.stdout, /Threshold: loss=0 FAILED \(\d+\)/);
  assert.ok(summaryOf(json).counters.gaps > 0);
  pub.kill('SIGINT');
  await pub.exited;
  await server.stop();
});
