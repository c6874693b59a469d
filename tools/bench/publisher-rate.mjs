#!/usr/bin/env node
// The publisher's precision and maximum rate, measured on loopback:
//  1. hold: one publisher process at 25,000 msg/s of 512 bytes for --seconds (60) with the reference
//     server and a 1,000-connection client beside it; every interval's achieved rate and p99 lag.
//  2. max: the most 512-byte messages/s one publisher process gets into the reference server, and in
//     the same run a plain `ws` client's send loop on the same kind of connection (the baseline).
// Prints one figure per line. Usage: node tools/bench/publisher-rate.mjs [--seconds 60] [--max-seconds 10]
//   [--pacing timer,precise] [--only hold|max]
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { LatencyStats, encodeMessage, epochUs } from '@mdbench/core/internal';
import { arg, figure, jsonLines, sleep, Proc, startServer } from '../harness/processes.mjs';

const seconds = Number(arg('seconds', '60'));
const maxSeconds = Number(arg('max-seconds', '10'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-bench-'));

async function hold(pacing) {
  const server = await startServer(['--workers', '1']);
  const client = new Proc(
    'client',
    [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      '1000',
      '--subjects',
      '/p/s{1..1000}/-',
      '--one-to-one',
      '--local-addresses',
      '127.0.0.{2..3}',
      '--local-ports',
      '23000-23999',
      '--workers',
      '1',
      '--interval',
      '5',
      '--duration',
      String(seconds + 30),
    ],
    { echo: true },
  );
  await client.waitFor(/Connected: 1,000 open, 1,000 subscribed/);
  const json = join(dir, `hold-${pacing}.jsonl`);
  const pub = new Proc(
    'publisher',
    [
      '-s',
      `127.0.0.1:${server.port}`,
      '--publisher-type',
      'p',
      '--subjects',
      '/s{1..1000}/-',
      '--frequency',
      '25000',
      '--message-size',
      '512',
      '--duration',
      String(seconds),
      '--interval',
      '5',
      '--pacing',
      pacing,
      '--json',
      json,
    ],
    { echo: true },
  );
  await pub.exited;
  client.child.kill('SIGINT');
  await client.exited;
  await server.stop();
  const records = jsonLines(readFileSync(json, 'utf8'));
  const intervals = records.filter((r) => r.type === 'interval');
  const summary = records.find((r) => r.type === 'summary');
  const worstErr = Math.max(...intervals.map((r) => Math.abs(r.rateErrorPct)));
  const worstP99 = Math.max(...intervals.map((r) => LatencyStats.fromWire(r.lag).percentileUs(99) / 1000));
  const runLag = LatencyStats.fromWire(summary.lag);
  const clientMean = /Latency mean: ([\d.,]+) ms/.exec(client.stdout.slice(client.stdout.lastIndexOf('Summary')))?.[1];
  const p = `hold_${pacing}`;
  figure(`${p}_target_rate`, 25000, 'msg/s');
  figure(`${p}_intervals`, intervals.length);
  figure(`${p}_achieved_rate`, summary.totalSent / summary.seconds, 'msg/s');
  figure(`${p}_worst_interval_rate_error`, worstErr, '%');
  figure(`${p}_worst_interval_p99_lag`, worstP99, 'ms');
  figure(
    `${p}_median_interval_p99_lag`,
    intervals.map((r) => LatencyStats.fromWire(r.lag).percentileUs(99) / 1000).sort((a, b) => a - b)[Math.floor(intervals.length / 2)],
    'ms',
  );
  figure(`${p}_run_p99_lag`, runLag.percentileUs(99) / 1000, 'ms');
  figure(`${p}_run_max_lag`, runLag.welford.max / 1000, 'ms');
  figure(`${p}_run_mean_lag`, runLag.welford.mean / 1000, 'ms');
  figure(`${p}_client_latency_mean`, clientMean ?? 'n/a', 'ms');
}

/** Server-side messages in per second over a window, read from the monitor. */
async function ingressRate(server, ms) {
  const a = (await server.get('/stats')).totals.messagesIn ?? 0;
  const t0 = performance.now();
  await sleep(ms);
  await sleep(1100); // the workers report once a second: let the window's counts arrive
  const b = (await server.get('/stats')).totals.messagesIn ?? 0;
  return (b - a) / ((performance.now() - t0 - 1100) / 1000);
}

async function maxPublisher(server, mask) {
  const pub = new Proc(
    'publisher',
    [
      '-s',
      `127.0.0.1:${server.port}`,
      '--subjects',
      '/p/s{1..1000}/-',
      '--frequency',
      '2000000',
      '--message-size',
      '512',
      '--mask',
      mask,
      '--duration',
      String(maxSeconds + 3),
      '--interval',
      '3600',
    ],
    { echo: true },
  );
  await sleep(1500);
  const rate = await ingressRate(server, maxSeconds * 1000);
  await pub.exited;
  return rate;
}

async function maxWsLoop(server) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, 'mdbench.v1', { perMessageDeflate: false });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let running = true;
  let seq = 0;
  const payload = Buffer.alloc(512, 'x');
  const loop = () => {
    if (!running) return;
    while (ws.bufferedAmount < 8 * 1024 * 1024) {
      const now = epochUs();
      ws.send(encodeMessage({ subject: `/p/s${(seq % 1000) + 1}/-`, publisherId: 1, seq: ++seq, scheduledUs: now, sentUs: now }, payload));
      if (seq % 4096 === 0) break;
    }
    setImmediate(loop);
  };
  loop();
  await sleep(1500);
  const rate = await ingressRate(server, maxSeconds * 1000);
  running = false;
  ws.close();
  return rate;
}

async function max() {
  const server = await startServer(['--workers', '1']);
  const baseline = await maxWsLoop(server);
  const ours = await maxPublisher(server, 'random');
  const oursZero = await maxPublisher(server, 'zero');
  await server.stop();
  figure('max_ws_send_loop', baseline, 'msg/s');
  figure('max_publisher_random_mask', ours, 'msg/s');
  figure('max_publisher_random_mask_ratio', ours / baseline, 'x baseline');
  figure('max_publisher_zero_mask', oursZero, 'msg/s');
  figure('max_publisher_zero_mask_ratio', oursZero / baseline, 'x baseline');
}

if (arg('only', 'both') !== 'max') for (const pacing of arg('pacing', 'timer,precise').split(',')) await hold(pacing);
if (arg('only', 'both') !== 'hold') await max();
