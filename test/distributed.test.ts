import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, connects, jsonLines, run, startServer } from '../tools/harness/processes.mjs';

const root = new URL('..', import.meta.url).pathname;
const reportBin = join(root, 'tools', 'report', 'bin', 'mdbench-report.js');

test('3 client instances and 2 publisher instances with --instance, one log each, merged by mdbench-report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-fleet-'));
  const server = await startServer(['--workers', '2']);
  const clients = [1, 2, 3].map(
    (k) =>
      new Proc('client', [
        '-s',
        `127.0.0.1:${server.port}`,
        '--clients',
        '100',
        '--subjects',
        '/p/s{1..300}/-',
        '--one-to-one',
        '--instance',
        String(k),
        '--instances',
        '3',
        '--local-addresses',
        `127.0.1.${k}`,
        '--local-ports',
        '29000-29999',
        '--interval',
        '1',
        '--duration',
        '60',
        '--json',
        join(dir, `client-${k}.jsonl`),
        '--hlog',
        join(dir, `client-${k}.hlog`),
      ]),
  );
  for (const c of clients) await c.waitFor(/Connected: 100 open, 100 subscribed/);
  assert.match(clients[1].stdout, /Instance: 2 of 3: fleet connections 101\.\.200/);
  const pubs = await Promise.all(
    [1, 2].map((k) =>
      run('publisher', [
        '-s',
        `127.0.0.1:${server.port}`,
        '--publisher-type',
        'p',
        '--subjects',
        '/s{1..300}/-',
        '--instance',
        String(k),
        '--instances',
        '2',
        '--frequency',
        '300',
        '--messages',
        '300',
        '--interval',
        '1',
        '--json',
        join(dir, `publisher-${k}.jsonl`),
      ]),
    ),
  );
  for (const p of pubs) assert.equal(p.code, 0, p.stdout + p.stderr);
  assert.match(pubs[1].stdout, /Instance: 2 of 2: subjects \/p\/s151\/- \.\. \/p\/s300\/-/);
  await new Promise((r) => setTimeout(r, 2500));
  for (const c of clients) c.kill('SIGINT');
  for (const c of clients) assert.equal(await c.exited, 0, c.stdout + c.stderr);
  await server.stop();

  // Every message reached exactly one subscriber (one-to-one), so the fleet received 600.
  const perInstance = [1, 2, 3].map((k) => jsonLines(readFileSync(join(dir, `client-${k}.jsonl`), 'utf8')).find((r) => r.type === 'summary')!);
  assert.equal(
    perInstance.reduce((a, s) => a + s.counters.messages, 0),
    600,
  );
  for (const [k, s] of perInstance.entries()) {
    assert.equal(s.instance, k + 1);
    assert.equal(s.instances, 3);
    assert.equal(typeof s.configDigest, 'string');
    assert.ok(Math.abs(s.clockOffsetUs) <= s.clockRttUs / 2 + 200, `clock offset ${s.clockOffsetUs} µs, rtt ${s.clockRttUs} µs on loopback`);
  }
  const hlog = readFileSync(join(dir, 'client-1.hlog'), 'utf8');
  assert.match(hlog, /^#\[StartTime: [\d.]+ /m);
  assert.match(hlog, /^"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"$/m);
  assert.match(hlog, /^\d+\.\d+,\d+\.\d+,\d+\.\d+,HISTF/m);

  const html = join(dir, 'report.html');
  const r = spawnSync(process.execPath, [reportBin, join(dir, 'client-*.jsonl'), join(dir, 'publisher-*.jsonl'), '--html', html], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Fleet: 3 client instance\(s\) from 5 file\(s\)/);
  assert.match(r.stdout, /\[INFO\] Total messages: 600$/m);
  assert.match(r.stdout, /Publishers: 2 instance\(s\), 600 messages/);
  assert.equal((r.stdout.match(/\[INFO\] Instances: [123] /g) ?? []).length, 3);
  assert.ok(existsSync(html));
});

test('an injected clock offset is measured and flagged', async () => {
  const server = await startServer(['--workers', '1', '--test-clock-offset-ms', '250']);
  const r = await connects(['-s', `127.0.0.1:${server.port}`], 5);
  await server.stop();
  assert.equal(r.code, 0, r.stderr);
  const m = /Clock offset: \+([\d.]+) ms against .* \(round trip ([\d.]+) ms/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Math.abs(Number(m[1]) - 250) <= Number(m[2]) / 2 + 0.5, `measured ${m[1]} ms`);
  assert.match(r.stdout, /\[WARN\] this host's clock is 250\.\d ms off the server's/);
});
