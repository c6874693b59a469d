#!/usr/bin/env node
// Chat rooms at scale: N connections (default 100,000) in rooms of 10 (one-to-one over N/10
// subjects), every member publishing RATE msg/s (default 0.1) to its room on mdbench-server, for
// SECONDS; then, as the baseline in the same run, the same N connections as silent listeners.
// Prints one figure a line: deliveries, loss, latency, and the client's memory per connection
// against the listeners' (RSS of its workers after the run less before connecting, per connection).
// Usage: node tools/bench/rooms.mjs [--clients 100000] [--rate 0.1] [--seconds 60]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, figure, run, startServer, summaryOf } from '../harness/processes.mjs';

const clients = Number(arg('clients', '100000'));
const rate = arg('rate', '0.1');
const seconds = Number(arg('seconds', '60'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-rooms-'));
const aliases = Math.ceil(clients / 25_000);

async function fleet(name, extra) {
  const server = await startServer(['--workers', String(Math.max(2, Math.ceil(clients / 15_000)))]);
  const json = join(dir, `${name}.jsonl`);
  try {
    const r = await run('client', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      String(clients),
      '--subjects',
      `/p/s{1..${clients / 10}}/-`,
      '--one-to-one',
      '--local-addresses',
      `127.0.8.{1..${aliases}}`,
      '--local-ports',
      '2000-31999',
      '--duration',
      String(seconds + Math.ceil(clients / 5000) + 5),
      '--interval',
      '10',
      '--json',
      json,
      ...extra,
    ]);
    if (![0, 1].includes(r.code)) throw new Error(r.stdout.slice(-3000) + r.stderr);
    return { s: summaryOf(json), stdout: r.stdout };
  } finally {
    await server.stop();
  }
}

const rooms = await fleet('rooms', ['--publish-rate', rate]);
const listeners = await fleet('listeners', []);
const perConn = (s) => (s.rssBytes - s.rssStartBytes) / clients / 1024;
const k = rooms.s.counters;
figure('connections', clients);
figure('rooms of 10', clients / 10);
figure('published by the members', k.published);
figure('delivered to the other members', k.messages);
figure('delivered back to their senders', k.selfDelivered);
const summary = rooms.stdout.slice(rooms.stdout.lastIndexOf('Summary'));
figure('deliveries per second (first message to last)', Number((/Frequency: ([\d.,]+) messages\/sec/.exec(summary)?.[1] ?? 'NaN').replace(/,/g, '')));
figure('lost (gaps)', k.gaps);
figure('not sent (down or backlogged)', k.publishMissed ?? 0);
figure('expected deliveries (published x 9)', k.published * 9);
figure('latency p99', Number((/Latency p99: ([\d.,]+) ms/.exec(summary)?.[1] ?? 'NaN').replace(/,/g, '')), 'ms');
figure('client memory per connection, rooms', perConn(rooms.s), 'KiB');
figure('client memory per connection, listeners (baseline)', perConn(listeners.s), 'KiB');
figure('rooms / listeners memory per connection', perConn(rooms.s) / perConn(listeners.s), 'x');
