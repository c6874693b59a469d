import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExample, startNats, type Broker } from '../tools/harness/brokers.mjs';
import { run, startServer, summaryOf } from '../tools/harness/processes.mjs';

// Clients that publish (--publish-rate): 100 connections in 10 rooms of 10 (one-to-one over 10
// subjects), every member publishing to its room, against the reference server, nats-server and
// the Socket.IO example server. Each server delivers a member's message to the whole room, the
// sender included (NATS echoes, io.to(room) and mdbench-server fan out to every subscriber): every
// message from every sender is accounted at the 9 others, and once back at its sender, counted apart.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-rooms-'));
const ROOM = 10;
const CLIENTS = 100;

async function rooms(name: string, protocol: string, url: string): Promise<void> {
  const json = join(dir, `${name}.jsonl`);
  const r = await run('client', [
    '-p',
    protocol,
    '-s',
    url,
    '--clients',
    String(CLIENTS),
    '--subjects',
    `/p/s{1..${CLIENTS / ROOM}}/-`,
    '--one-to-one',
    '--publish-rate',
    '5',
    '--duration',
    '8',
    '--interval',
    '1',
    '--json',
    json,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Publishing: 100 connections publish 5\.00 messages\/sec each \(500\.0 in all\)/);
  const k = summaryOf(json).counters;
  // About 5 s of publishing at 500 msg/s (the ramp and the drain take the rest of the 8 s).
  assert.ok(k.published > 1000, `published ${k.published}`);
  assert.equal(k.publishMissed ?? 0, 0);
  assert.equal(k.messages, k.published * (ROOM - 1), JSON.stringify(k));
  assert.equal(k.selfDelivered, k.published);
  assert.deepEqual([k.gaps, k.duplicates, k.outOfOrder, k.joinedAfter], [0, 0, 0, 0]);
  assert.match(r.stdout, new RegExp(`Published: ${k.published.toLocaleString('en-US')} messages by the connections themselves, 0 due while down`));
  // The report reconciles the clients' own messages: each owed to the 9 others of its room.
  const report = await run('report', [json]);
  assert.equal(report.code, 0, report.stdout + report.stderr);
  const n = (v: number) => v.toLocaleString('en-US');
  assert.match(
    report.stdout,
    new RegExp(`Delivery: ${n(k.published)} published, ${n(k.messages)} of ${n(k.published * (ROOM - 1))} expected deliveries received: 0 undelivered`),
  );
}

test('rooms of 10 on mdbench-server: every member publishes, every message reaches the 9 others and comes back to its sender once', async () => {
  const server = await startServer();
  try {
    await rooms('native', 'native', `127.0.0.1:${server.port}`);
  } finally {
    await server.stop();
  }
});

for (const [name, protocol, start] of [
  ['NATS', 'nats', () => startNats()],
  ['Socket.IO', 'socket.io', () => startExample('socketio-server')],
] as [string, string, () => Promise<Broker>][]) {
  test(`rooms of 10 on ${name}: every member publishes, every message reaches the 9 others and comes back to its sender once`, async () => {
    const server = await start();
    try {
      await rooms(protocol, protocol, server.url);
    } finally {
      await server.stop();
    }
  });
}

test('client publishing that cannot work: a rate that is not a number, a payload too small for the stamp: one line naming the option, exit 2', async () => {
  const bad = await run('client', ['--publish-rate', 'often']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--publish-rate/);
  const small = await run('client', ['-p', 'nats', '-s', '127.0.0.1:1', '--publish-rate', '1', '--message-size', '10']);
  assert.equal(small.code, 2, small.stderr);
  assert.match(small.stderr, /MessageSize|--message-size/);
  assert.match(small.stderr, /cannot hold the 28-byte binary stamp/);
  assert.equal(small.stderr.trim().split('\n').length, 1, small.stderr);
});
