import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileLimit } from '@mdbench/core/internal';
import { Proc, jsonLines, run, startServer } from '../tools/harness/processes.mjs';

// Linux always has a finite hard limit (at most fs.nr_open).
const limit = openFileLimit()?.hard ?? 1_048_576;
// 25,000 connections: more than one process may hold on this project's machines (hard limit 20,000),
// and on any host spread over worker processes none of which passes its limit.
const N = 25_000;

test('pre-flight refuses a worker plan over the open-file limit, with the fixing command', async () => {
  // One more connection per process than the limit allows, whatever the limit is; enough local addresses to place them.
  const over = limit + 5_000;
  const addresses = Math.ceil(over / 40_000) + 1;
  const r = await run('client', [
    '--clients',
    String(over),
    '--workers',
    '1',
    '--local-addresses',
    `127.9.{1..${addresses}}.1`,
    '--local-ports',
    '20000-59999',
  ]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`error: each of 1 process\\(es\\) would hold ${over.toLocaleString('en-US')} sockets, but the open-file limit is [\\d,]+ per process`),
  );
  assert.match(r.stderr, new RegExp(`hint: use --workers \\d+ or more, or raise the limit: (sysctl -w fs\\.nr_open=\\d+ && )?ulimit -n ${over + 64}`));
  assert.doesNotMatch(r.stderr, /^\s+at /m);
});

test('25,000 connections over worker processes on both sides, none past its open-file limit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-scale-'));
  const server = await startServer(['--expect-connections', String(N)]);
  const json = join(dir, 'client.jsonl');
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    String(N),
    '--subjects',
    `/p/s{1..${N}}/-`,
    '--one-to-one',
    '--local-addresses',
    '127.0.3.{1..2}',
    '--local-ports',
    '20000-59999',
    '--connect-rate',
    '10000',
    '--interval',
    '5',
    '--duration',
    '300',
    '--json',
    json,
  ]);
  await client.waitFor(new RegExp(`Connected: ${N.toLocaleString('en-US')} open, ${N.toLocaleString('en-US')} subscribed, 0 failed`), 240_000);
  const workers = Number(/Workers: (\d+) processes/.exec(client.stdout)?.[1]);
  assert.ok(workers >= Math.max(2, Math.ceil(N / limit)) && N / workers < limit, `${workers} client workers for ${N} connections under a limit of ${limit}`);
  const stats = await server.get<{ connections: number; workers: number; perWorker: { connections: number }[] }>('/stats');
  assert.ok(stats.workers >= 2);
  const pub = await run('publisher', ['-s', `127.0.0.1:${server.port}`, '--subjects', `/p/s{1..${N}}/-`, '--frequency', '1000', '--messages', '3000']);
  assert.equal(pub.code, 0, pub.stdout + pub.stderr);
  await new Promise((r) => setTimeout(r, 2000));
  client.kill('SIGINT');
  assert.equal(await client.exited, 0, client.stdout.slice(-3000));
  await server.stop();
  const s = jsonLines(readFileSync(json, 'utf8')).find((r) => r.type === 'summary')!;
  assert.equal(s.gauges.open, N);
  assert.equal(s.counters.messages, 3000, 'every published message reached its one subscriber');
  assert.equal(s.counters.gaps ?? 0, 0);
  for (const w of stats.perWorker) assert.ok(w.connections < limit);
});
