import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressPlan } from '@mdbench/core/internal';
import { Proc, connects, jsonLines, run, startServer } from '../tools/harness/processes.mjs';

test('server, client over 127.0.0.x aliases with planned ports, and publisher: every connection as planned, every message measured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-e2e-'));
  const server = await startServer(['--workers', '2']);
  const clients = 600;
  const client = new Proc('client', [
    '--server-addresses',
    `127.0.0.1:${server.port}`,
    '--clients',
    String(clients),
    '--local-addresses',
    '127.0.0.{2..4}',
    '--local-ports',
    '21000-21999',
    '--subjects',
    `/p/s{1..${clients}}/-`,
    '--one-to-one',
    '--workers',
    '2',
    '--interval',
    '1',
    '--duration',
    '14',
    '--json',
    join(dir, 'client.jsonl'),
  ]);
  await client.waitFor(/Connected: 600 open, 600 subscribed, 0 failed/);

  // The server saw exactly the planned local address and port for each connection.
  const { peers } = await server.get<{ peers: string[] }>('/connections');
  const plan = new AddressPlan({
    localAddresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
    ports: { from: 21000, to: 21999 },
    excludePorts: [server.port],
    clients,
  });
  const planned = Array.from({ length: clients }, (_, i) => `${plan.addressOf(i)}:${plan.portOf(i)}`).sort();
  assert.deepEqual([...peers].sort(), planned);

  const pub = await run('publisher', [
    '--server-addresses',
    `127.0.0.1:${server.port}`,
    '--publisher-type',
    'p',
    '--subjects',
    `/s{1..${clients}}/-`,
    '--frequency',
    '500',
    '--messages',
    '2000',
    '--json',
    join(dir, 'publisher.jsonl'),
  ]);
  assert.equal(pub.code, 0, pub.stderr + pub.stdout);
  const pubSummary = jsonLines(readFileSync(join(dir, 'publisher.jsonl'), 'utf8')).find((r) => r.type === 'summary')!;
  assert.equal(pubSummary.totalSent, 2000);

  const code = await client.exited;
  assert.equal(code, 0, client.stdout + client.stderr);
  // The article's block, in its format.
  for (const label of [
    'Uptime',
    'Latency min',
    'Latency max',
    'Latency mean',
    'Latency standard deviation',
    '90% CI for the mean',
    '95% CI for the mean',
    'Total messages',
    'Frequency',
    'Latency p99',
  ]) {
    assert.match(client.stdout, new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\d, \\d\\d:\\d\\d:\\d\\d\\] \\[INFO\\] ${label.replace(/[%]/g, '\\$&')}: `, 'm'), label);
  }
  assert.match(client.stdout, /Total messages: 2,000$/m);
  assert.doesNotMatch(client.stdout, /\u001b\[/, 'no colour codes when not on a terminal');
  const summary = jsonLines(readFileSync(join(dir, 'client.jsonl'), 'utf8')).find((r) => r.type === 'summary')!;
  assert.equal(summary.counters.messages, 2000);
  assert.equal(summary.counters.gaps ?? 0, 0);
  assert.equal(summary.latency.welford.count, 2000);
  assert.ok(summary.latency.welford.mean > 0 && summary.latency.welford.mean < 5_000_000, `mean ${summary.latency.welford.mean} µs`);
  assert.ok(summary.latency.welford.max >= summary.latency.welford.min);
  assert.equal(summary.gauges.open, 600);

  const serverCode = await server.stop();
  assert.equal(serverCode, 0, server.proc.stdout.slice(-3000) + server.proc.stderr);
  assert.match(server.proc.stdout, /Total messages in: 2,000$/m);
  assert.match(server.proc.stdout, /Total messages out: 2,000$/m);
});

test('a server worker full to its socket budget stops accepting and the others take the rest', async () => {
  const server = await startServer(['--workers', '2', '--max-sockets-per-worker', '60']);
  const r = await connects(['-s', `127.0.0.1:${server.port}`, '--subjects', '/p/s{1..100}/-', '--one-to-one', '--workers', '1'], 100);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Connected: 100 open, 100 subscribed, 0 failed/);
  const stats = await server.get<{ perWorker: { connections: number }[] }>('/stats');
  await server.stop();
  assert.equal(stats.perWorker.length, 2);
  for (const w of stats.perWorker) assert.ok(w.connections <= 60, `worker holds ${w.connections}`);
});
