#!/usr/bin/env node
// Request/response round trips: N connections x RATE requests/s each to mdbench-server (the native
// REQUEST, answered at once) measured by mdbench-client, against the baseline of the same count and
// rate through plain `ws` to a `ws` echo server (tools/bench/bare-echo.mjs), one after the other in
// the same run. Prints one figure a line, with mdbench's p99 as a ratio of the baseline's.
// Usage: node tools/bench/request-rtt.mjs [--clients 10000] [--rate 1] [--seconds 30]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { arg, figure, freePort, run, startServer } from '../harness/processes.mjs';

const clients = Number(arg('clients', '10000'));
const rate = Number(arg('rate', '1'));
const seconds = Number(arg('seconds', '30'));
const echo = fileURLToPath(new URL('./bare-echo.mjs', import.meta.url));

async function baseline() {
  const port = await freePort();
  const server = spawn(process.execPath, [echo, 'server', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(server.stdout, 'data');
  const load = spawn(process.execPath, [echo, 'load', String(port), String(clients), String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  load.stdout.on('data', (d) => (out += d));
  await once(load, 'exit');
  server.kill();
  return JSON.parse(out);
}

async function mdbench() {
  const server = await startServer();
  try {
    const r = await run('client', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      String(clients),
      '--subjects',
      `/p/s{1..${clients}}/-`,
      '--one-to-one',
      '--request-rate',
      String(rate),
      '--duration',
      String(seconds + 10),
      '--interval',
      '5',
    ]);
    const line =
      /Summary[\s\S]*Round trip: mean ([\d.]+) ms, p50 ([\d.]+) ms \/ p90 [\d.]+ ms \/ p99 ([\d.]+) ms \/ max ([\d.]+) ms, ([\d,]+) replies to ([\d,]+) requests, ([\d,]+) timeouts/.exec(
        r.stdout,
      );
    if (!line) throw new Error(r.stdout.slice(-3000) + r.stderr);
    return { p50: Number(line[2]), p99: Number(line[3]), max: Number(line[4]), replies: line[5], requests: line[6], timeouts: line[7] };
  } finally {
    await server.stop();
  }
}

const base = await baseline();
const md = await mdbench();
figure('connections', clients);
figure('requests per second per connection', rate);
figure('baseline ws echo round trips', base.count);
figure('baseline ws echo rtt p50', base.p50, 'ms');
figure('baseline ws echo rtt p99', base.p99, 'ms');
figure('mdbench replies / requests / timeouts', `${md.replies} / ${md.requests} / ${md.timeouts}`);
figure('mdbench rtt p50', md.p50, 'ms');
figure('mdbench rtt p99', md.p99, 'ms');
figure('mdbench rtt p99 / baseline p99', md.p99 / base.p99, 'x');
