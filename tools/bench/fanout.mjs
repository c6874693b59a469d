#!/usr/bin/env node
// Fan-out: N subscribers (1,000) on one subject, a publisher at R messages/s (500:
// 500,000 deliveries/s), measured at the client: deliveries/s achieved and latency p99, for
// mdbench-server, and in the same run for the baseline, a bare Node process that builds each frame
// once and writes it to the same sockets (tools/bench/bare-fanout-server.mjs): the physical limit.
// Latency p99 is given for the steady state (1 s intervals after the first --cold seconds of
// messages), the cold start and the whole run (tools/harness/latency-phases.mjs).
// Prints one figure a line. Usage: node tools/bench/fanout.mjs [--subscribers 1000] [--rate 500] [--seconds 20] [--server-workers 1] [--client-workers 1] [--cold 2]
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureClient } from '../harness/latency-phases.mjs';
import { Proc, arg, figure, sleep, startServer } from '../harness/processes.mjs';

const N = Number(arg('subscribers', '1000'));
const rate = Number(arg('rate', '500'));
const seconds = Number(arg('seconds', '20'));
const serverWorkers = arg('server-workers', '1');
const clientWorkers = arg('client-workers', '1');
const coldS = Number(arg('cold', '2'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-fanout-'));

/** The client against a server on `port`; `publish()` starts the messages. */
const measure = (port, name, publish) =>
  measureClient({ port, dir, name, seconds, coldS, clientArgs: ['--clients', String(N), '--subjects', '/p/s{1..1}/-', '--workers', clientWorkers] }, publish);

// mdbench-server with mdbench-publisher.
const server = await startServer(['--workers', serverWorkers], { echo: true });
const md = await measure(server.port, 'mdbench', async () => {
  const pub = new Proc(
    'publisher',
    ['-s', `127.0.0.1:${server.port}`, '--subjects', '/p/s{1..1}/-', '--frequency', String(rate), '--duration', String(seconds), '--interval', '5'],
    { echo: true },
  );
  await pub.exited;
});
await server.stop();

// The bare baseline.
const bare = fork(new URL('./bare-fanout-server.mjs', import.meta.url).pathname, ['--rate', String(rate)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const { port } = await new Promise((r) => bare.once('message', r));
const base = await measure(port, 'bare', async () => {
  bare.send('start');
  await sleep(seconds * 1000);
  bare.kill('SIGKILL');
});

figure('subscribers', N);
figure('target_deliveries_per_sec', N * rate, 'deliveries/s');
figure('baseline_deliveries_per_sec', base.perSec, 'deliveries/s (bare write loop)');
figure('baseline_latency_p99_steady', base.steadyMs, 'ms');
figure('baseline_latency_p99_cold', base.coldMs, 'ms');
figure('baseline_latency_p99_whole', base.p99Ms, 'ms');
figure('mdbench_deliveries_per_sec', md.perSec, 'deliveries/s');
figure('mdbench_deliveries_ratio', md.perSec / base.perSec, 'x baseline');
figure('mdbench_latency_p99_steady', md.steadyMs, 'ms (target < 50)');
figure('mdbench_latency_p99_steady_ratio', md.steadyMs / base.steadyMs, 'x baseline');
figure('mdbench_latency_p99_worst_second', md.steadyWorstMs, `ms (${md.secondsOver(50)} of ${md.steadySeconds} seconds over 50 ms)`);
figure('mdbench_latency_p99_cold', md.coldMs, 'ms');
figure('mdbench_latency_p99_whole', md.p99Ms, 'ms');
figure('mdbench_latency_mean', md.meanMs, 'ms');
figure('mdbench_client_loop_p99', md.loopP99Ms, 'ms');
figure('mdbench_deliveries_total', md.messages);
figure('mdbench_gaps', md.gaps);
process.exit(0);
