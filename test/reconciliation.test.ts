import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, freePort, run, signalTree, sleep, startServer, summaryOf } from '../tools/harness/processes.mjs';

// The report reconciles what the publishers sent with what the subscribers received over the
// subject plan: messages that never arrived, with no later message on their subject to show a
// gap, are undelivered, not `0 lost`.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-reconcile-'));
const N = 1000;

function client(port: number, json: string): Proc {
  return new Proc('client', [
    '-s',
    `127.0.0.1:${port}`,
    '--clients',
    String(N),
    '--subjects',
    `/p/s{1..${N}}/-`,
    '--one-to-one',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '0.5',
    '--interval',
    '1',
    '--duration',
    '120',
    '--json',
    json,
  ]);
}

const publisherArgs = (port: number, json: string) => [
  '-s',
  `127.0.0.1:${port}`,
  '--subjects',
  `/p/s{1..${N}}/-`,
  '--message-size',
  '64',
  '--frequency',
  '1000',
  '--messages',
  String(N),
  '--json',
  json,
];

test('every message delivered: the report reconciles them all (0 undelivered, exit 0)', async () => {
  const server = await startServer(['--workers', '1']);
  const cjson = join(dir, 'ok-client.jsonl');
  const pjson = join(dir, 'ok-publisher.jsonl');
  const c = client(server.port, cjson);
  await c.waitFor(new RegExp(`Connected: ${N.toLocaleString('en-US')} open`), 60_000);
  const p = await run('publisher', publisherArgs(server.port, pjson));
  assert.equal(p.code, 0, p.stderr);
  await c.waitFor(new RegExp(`Total messages: ${N.toLocaleString('en-US')}\\b`), 30_000);
  c.kill('SIGINT');
  await c.exited;
  await server.stop();
  const r = await run('report', [cjson, pjson]);
  assert.match(r.stdout, /Delivery: 1,000 published, 1,000 of 1,000 expected deliveries received: 0 undelivered/);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('messages that never arrive and leave no gap (one per subject, the server stopped and restarted): undelivered, the report fails', async () => {
  const port = await freePort();
  let server = await startServer(['--listen', `127.0.0.1:${port}`, '--workers', '1']);
  const cjson = join(dir, 'lost-client.jsonl');
  const pjson = join(dir, 'lost-publisher.jsonl');
  const c = client(port, cjson);
  try {
    await c.waitFor(new RegExp(`Connected: ${N.toLocaleString('en-US')} open, ${N.toLocaleString('en-US')} subscribed`), 60_000);
    // The server frozen once the publisher is connected: its messages wait in the server's socket and die with it.
    const p = new Proc('publisher', publisherArgs(port, pjson));
    await p.waitFor(/Publishing: /);
    signalTree(server.proc.child.pid as number, 'SIGSTOP');
    await p.exited;
    signalTree(server.proc.child.pid as number, 'SIGKILL');
    await server.proc.exited;
    server = await startServer(['--listen', `127.0.0.1:${port}`, '--workers', '1']);
    await c.waitFor(/Connections: 1,000 open, [\d,]+ connected, 1,000 subscribed/, 60_000);
    await sleep(1500);
    c.kill('SIGINT');
    await c.exited;
  } finally {
    c.kill('SIGKILL');
    await server.stop();
  }
  const s = summaryOf(cjson);
  assert.equal(s.counters.gaps ?? 0, 0, 'one message per subject: the client sees no gap');
  const r = await run('report', [cjson, pjson]);
  const m = /Delivery: 1,000 published, ([\d,]+) of 1,000 expected deliveries received: ([\d,]+) undelivered/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const received = Number(m[1].replace(/,/g, ''));
  assert.equal(Number(m[2].replace(/,/g, '')), N - received);
  assert.ok(received < N, 'some messages were lost with the server');
  assert.equal(received, s.counters.messages ?? 0);
  assert.match(r.stdout, /Result: FAILED: [\d,]+ messages undelivered/);
  assert.equal(r.code, 1);
});

test('--duration counts from the first message: -f 1000 --duration 3 publishes 3,000 messages (the warm-up before it not counted)', async () => {
  const server = await startServer(['--workers', '1']);
  const json = join(dir, 'duration-publisher.jsonl');
  const p = await run('publisher', ['-s', `127.0.0.1:${server.port}`, '--subjects', '/p/s{1..10}/-', '--frequency', '1000', '--duration', '3', '--json', json]);
  await server.stop();
  assert.equal(p.code, 0, p.stderr);
  const sent = summaryOf(json).totalSent;
  // The schedule holds --duration's worth at --frequency: exactly that many, however late a timer fires.
  assert.equal(sent, 3000);
  assert.match(p.stdout, /Stopped: duration reached/);
});
