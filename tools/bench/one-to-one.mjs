#!/usr/bin/env node
// One-to-one delivery: N subscribers (1,000), each on its own subject, a publisher at each
// of --rates (25,000 and 50,000 msg/s): latency p99 at the client, for mdbench-server (with each of
// --server-workers: its default and 1) with mdbench-publisher, and in the same run for the
// baseline, a bare Node process that builds each frame and writes it to its one subscriber
// (tools/bench/bare-fanout-server.mjs --one-to-one).
//
// The client reports every second. Three p99 figures per run:
//  - steady: the 1 s intervals merged (exactly, HdrHistogram) after the first --cold seconds of
//    messages, the last partial interval dropped;
//  - cold: the first --cold seconds of messages (publisher and server JIT, buffers growing);
//  - whole: the run's summary, both together.
// One figure a line. Usage: node tools/bench/one-to-one.mjs [--subscribers 1000] [--rates 25000,50000]
//   [--seconds 20] [--cold 2] [--server-workers default,1]
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureClient } from '../harness/latency-phases.mjs';
import { Proc, arg, figure, sleep, startServer } from '../harness/processes.mjs';

const N = Number(arg('subscribers', '1000'));
const rates = arg('rates', '25000,50000').split(',').map(Number);
const seconds = Number(arg('seconds', '20'));
const coldS = Number(arg('cold', '2'));
const serverWorkers = arg('server-workers', 'default,1').split(',');
const dir = mkdtempSync(join(tmpdir(), 'mdbench-one-'));

/** The client (one subject per connection) against a server on `port`; `publish()` starts the messages. */
const measure = (port, name, publish) =>
  measureClient(
    {
      port,
      dir,
      name,
      seconds,
      coldS,
      clientArgs: [
        '--clients',
        String(N),
        '--subjects',
        `/p/s{1..${N}}/-`,
        '--one-to-one',
        '--local-addresses',
        '127.0.0.{2..3}',
        '--local-ports',
        '23000-23999',
      ],
    },
    publish,
  );

figure('subscribers', N);
figure('cold_start_seconds', coldS);
for (const rate of rates) {
  const target = rate <= 25_000 ? 10 : 25;
  const bare = fork(new URL('./bare-fanout-server.mjs', import.meta.url).pathname, ['--rate', String(rate), '--one-to-one'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { port } = await new Promise((r) => bare.once('message', r));
  const base = await measure(port, `bare-${rate}`, async () => {
    bare.send('start');
    await sleep(seconds * 1000);
    bare.kill('SIGKILL');
  });
  figure(`rate_${rate}_baseline_delivered_per_sec`, base.perSec, 'msg/s (bare build-and-write loop)');
  figure(`rate_${rate}_baseline_latency_p99_steady`, base.steadyMs, 'ms');
  figure(`rate_${rate}_baseline_latency_p99_cold`, base.coldMs, 'ms');
  figure(`rate_${rate}_baseline_latency_p99_whole`, base.p99Ms, 'ms');
  for (const w of serverWorkers) {
    const tag = `rate_${rate}_mdbench_workers_${w}`;
    const server = await startServer(w === 'default' ? [] : ['--workers', w], { echo: true });
    const md = await measure(server.port, `mdbench-${rate}-${w}`, async () => {
      const pub = new Proc(
        'publisher',
        ['-s', `127.0.0.1:${server.port}`, '--subjects', `/p/s{1..${N}}/-`, '--frequency', String(rate), '--duration', String(seconds), '--interval', '5'],
        { echo: true },
      );
      await pub.exited;
    });
    await server.stop();
    figure(`${tag}_delivered_per_sec`, md.perSec, 'msg/s');
    figure(`${tag}_latency_p99_steady`, md.steadyMs, `ms (target < ${target})`);
    figure(`${tag}_latency_p99_steady_ratio`, md.steadyMs / base.steadyMs, 'x baseline');
    figure(`${tag}_latency_p99_worst_second`, md.steadyWorstMs, `ms (${md.secondsOver(target)} of ${md.steadySeconds} seconds over ${target} ms)`);
    figure(`${tag}_latency_p99_cold`, md.coldMs, 'ms');
    figure(`${tag}_latency_p99_whole`, md.p99Ms, 'ms');
    figure(`${tag}_latency_mean`, md.meanMs, 'ms');
    figure(`${tag}_gaps`, md.gaps);
    figure(`${tag}_client_loop_p99`, md.loopP99Ms, 'ms');
  }
}
process.exit(0);
