#!/usr/bin/env node
// Issue 11's one-to-one targets: N subscribers (1,000), each on its own subject, a publisher at each
// of --rates (25,000 and 50,000 msg/s): latency p99 at the client, for mdbench-server (default
// workers) with mdbench-publisher, and in the same run for the baseline, a bare Node process that
// builds each frame and writes it to its one subscriber (tools/bench/bare-fanout-server.mjs
// --one-to-one). One figure a line. Usage: node tools/bench/one-to-one.mjs [--subscribers 1000] [--rates 25000,50000] [--seconds 20]
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyStats } from '@mdbench/core';
import { Proc, arg, figure, sleep, startServer, summaryOf } from '../harness/processes.mjs';

const N = Number(arg('subscribers', '1000'));
const rates = arg('rates', '25000,50000').split(',').map(Number);
const seconds = Number(arg('seconds', '20'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-one-'));

async function measure(port, name, publish) {
  const json = join(dir, `${name}.jsonl`);
  const client = new Proc('client', ['-s', `127.0.0.1:${port}`, '--clients', String(N), '--subjects', `/p/s{1..${N}}/-`, '--one-to-one', '--local-addresses', '127.0.0.{2..3}', '--local-ports', '23000-23999', '--semi-space-mb', '16', '--interval', '5', '--duration', String(seconds + 60), '--clock-samples', '0', '--json', json], { echo: true });
  await client.waitFor(/Connected: [\d,]+ open, [\d,]+ subscribed/, 60_000);
  await publish();
  await sleep(2000);
  client.kill('SIGINT');
  await client.exited;
  const s = summaryOf(json);
  const lat = LatencyStats.fromWire(s.latency);
  return { received: s.counters.messages, perSec: s.counters.messages / ((s.lastMessageUs - s.firstMessageUs) / 1e6), p99Ms: lat.percentileUs(99) / 1000, meanMs: lat.welford.mean / 1000, gaps: s.counters.gaps ?? 0, loopP99Ms: s.loopDelay.p99Ms };
}

figure('subscribers', N);
for (const rate of rates) {
  const server = await startServer([], { echo: true });
  const md = await measure(server.port, `mdbench-${rate}`, async () => {
    const pub = new Proc('publisher', ['-s', `127.0.0.1:${server.port}`, '--subjects', `/p/s{1..${N}}/-`, '--frequency', String(rate), '--duration', String(seconds), '--interval', '5'], { echo: true });
    await pub.exited;
  });
  await server.stop();
  const bare = fork(new URL('./bare-fanout-server.mjs', import.meta.url).pathname, ['--rate', String(rate), '--one-to-one'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port } = await new Promise((r) => bare.once('message', r));
  const base = await measure(port, `bare-${rate}`, async () => {
    bare.send('start');
    await sleep(seconds * 1000);
    bare.kill('SIGKILL');
  });
  figure(`rate_${rate}_baseline_latency_p99`, base.p99Ms, 'ms (bare build-and-write loop)');
  figure(`rate_${rate}_baseline_delivered_per_sec`, base.perSec, 'msg/s');
  figure(`rate_${rate}_mdbench_latency_p99`, md.p99Ms, 'ms');
  figure(`rate_${rate}_mdbench_latency_p99_ratio`, md.p99Ms / base.p99Ms, 'x baseline');
  figure(`rate_${rate}_mdbench_latency_mean`, md.meanMs, 'ms');
  figure(`rate_${rate}_mdbench_delivered_per_sec`, md.perSec, 'msg/s');
  figure(`rate_${rate}_mdbench_gaps`, md.gaps);
  figure(`rate_${rate}_mdbench_client_loop_p99`, md.loopP99Ms, 'ms');
}
process.exit(0);
