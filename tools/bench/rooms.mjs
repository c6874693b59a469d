#!/usr/bin/env node
// Chat rooms at scale: N connections (default 100,000) in rooms of 10 (one-to-one over N/10
// subjects), every member publishing RATE msg/s (default 0.1) to its room on mdbench-server, for
// SECONDS; then, as the baseline in the same run, the same N connections as listeners in the same
// rooms receiving the same deliveries from one mdbench-publisher (N x RATE msg/s over the N/10
// subjects). Prints one figure a line: deliveries, loss, latency, and the client's memory per
// connection against the listeners' (RSS of its workers at the end less before connecting). A
// second baseline is the physical one: bare Node processes in pairs (tools/bench/bare-fanout-server.mjs
// --one-to-one writing, tools/bench/bare-reader.mjs counting bytes, 15,000 connections a pair: the
// open-file limit) delivering the same deliveries/s, one message at a time, to as many connections.
// Usage: node tools/bench/rooms.mjs [--clients 100000] [--rate 0.1] [--seconds 60]
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, arg, figure, sleep, startServer, summaryOf } from '../harness/processes.mjs';

const clients = Number(arg('clients', '100000'));
const rate = arg('rate', '0.1');
const seconds = Number(arg('seconds', '60'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-rooms-'));
const aliases = Math.ceil(clients / 25_000);

async function fleet(name, extra, withPublisher) {
  const server = await startServer(['--workers', String(Math.max(2, Math.ceil(clients / 15_000)))]);
  const json = join(dir, `${name}.jsonl`);
  try {
    const client = new Proc('client', [
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
    const all = new Intl.NumberFormat('en-US').format(clients);
    await client.waitFor(new RegExp(`Connected: ${all} open, ${all} subscribed`), 600_000);
    const pub = withPublisher
      ? new Proc('publisher', [
          '-s',
          `127.0.0.1:${server.port}`,
          '--subjects',
          `/p/s{1..${clients / 10}}/-`,
          '--frequency',
          String(clients * Number(rate)),
          '--duration',
          String(seconds),
        ])
      : null;
    const code = await client.exited;
    if (![0, 1].includes(code)) throw new Error(client.stdout.slice(-3000) + client.stderr);
    pub?.kill('SIGINT');
    await pub?.exited;
    return { s: summaryOf(json), stdout: client.stdout };
  } finally {
    await server.stop();
  }
}

/** Deliveries/s bare Node pairs make to `clients` connections asked for `perSec` in all (one message a write). */
async function bareDeliveries(perSec) {
  const pairs = Math.ceil(clients / 15_000);
  const frame = 4 + 28 + 7 + 512; // server frame header (16-bit length), MESSAGE header, subject /p/s1/-, payload
  const procs = [];
  const readers = [];
  const child = (script, args) => {
    const p = fork(new URL(script, import.meta.url).pathname, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    procs.push(p);
    return p;
  };
  try {
    for (let i = 0; i < pairs; i++) {
      const writer = child('./bare-fanout-server.mjs', ['--rate', String(perSec / pairs), '--one-to-one']);
      const { port } = await new Promise((r) => writer.once('message', r));
      const reader = child('./bare-reader.mjs', ['--port', String(port), '--clients', String(Math.round(clients / pairs))]);
      await new Promise((r) => reader.once('message', r));
      readers.push({ writer, reader });
    }
    const take = () => Promise.all(readers.map(({ reader }) => new Promise((r) => (reader.once('message', (m) => r(m.bytes)), reader.send('take')))));
    for (const { writer } of readers) writer.send('start');
    await sleep(5000);
    await take();
    await sleep(seconds * 1000);
    const bytes = (await take()).reduce((a, b) => a + b, 0);
    return bytes / frame / seconds;
  } finally {
    for (const p of procs) p.kill('SIGKILL');
  }
}

const bare = await bareDeliveries(clients * Number(rate) * 10);
const rooms = await fleet('rooms', ['--publish-rate', rate], false);
const listeners = await fleet('listeners', [], true);
const perConn = (s) => (s.rssBytes - s.rssStartBytes) / clients / 1024;
const k = rooms.s.counters;
figure('connections', clients);
figure('rooms of 10', clients / 10);
figure('published by the members', k.published);
figure('delivered to the other members', k.messages);
figure('delivered back to their senders', k.selfDelivered);
/** A figure of the client's final Summary block, e.g. summaryFigure(out, /Frequency: ([\d.,]+)/). */
const summaryFigure = (stdout, re) => Number((re.exec(stdout.slice(stdout.lastIndexOf('Summary')))?.[1] ?? 'NaN').replace(/,/g, ''));
const frequency = (stdout) => summaryFigure(stdout, /Frequency: ([\d.,]+) messages\/sec/);
const p99 = (stdout) => summaryFigure(stdout, /Latency p99: ([\d.,]+) ms/);
figure('deliveries per second (first message to last)', frequency(rooms.stdout));
figure('lost (gaps)', k.gaps);
figure('not sent (down or backlogged)', k.publishMissed ?? 0);
figure('expected deliveries (published x 9)', k.published * 9);
figure('latency p99', p99(rooms.stdout), 'ms');
figure('client memory per connection, rooms', perConn(rooms.s), 'KiB');
figure('listeners: messages received from the publisher', listeners.s.counters.messages);
figure('listeners: deliveries per second (baseline)', frequency(listeners.stdout));
figure('listeners: latency p99 (baseline)', p99(listeners.stdout), 'ms');
figure('client memory per connection, listeners (baseline)', perConn(listeners.s), 'KiB');
figure('bare Node pairs: deliveries per second asked', clients * Number(rate) * 10);
figure('bare Node pairs: deliveries per second made (physical baseline)', bare);
figure('rooms / bare deliveries per second', frequency(rooms.stdout) / bare, 'x');
figure('rooms / listeners memory per connection', perConn(rooms.s) / perConn(listeners.s), 'x');
