#!/usr/bin/env node
// The client's receive capacity: the deliveries/s one client worker absorbs with its event-loop p99
// under 20 ms, against a bare socket read loop (tools/bench/bare-reader.mjs: counts bytes, parses
// nothing) fed the same way. The sender is the bare build-once write loop (fan-out to N
// subscribers), stepped through --rates (messages/s; deliveries/s = rate x N). One figure a line.
// Usage: node tools/bench/receive-capacity.mjs [--subscribers 1000] [--rates 50,100,200,300,400,600] [--seconds 8]
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, arg, figure, jsonLines, sleep } from '../harness/processes.mjs';

const N = Number(arg('subscribers', '1000'));
const rates = arg('rates', '50,100,200,300,400,600').split(',').map(Number);
const seconds = Number(arg('seconds', '8'));
const SIZE = 512;
const FRAME = 4 + 28 + 7 + SIZE; // server frame header (16-bit length) + MESSAGE header + subject + payload
const dir = mkdtempSync(join(tmpdir(), 'mdbench-recv-'));

async function sender() {
  const s = fork(new URL('./bare-fanout-server.mjs', import.meta.url).pathname, ['--rate', String(rates[0]), '--size', String(SIZE)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { port } = await new Promise((r) => s.once('message', r));
  return { s, port };
}

/** Steps the sender's rate; `take()` gives each step's deliveries/s and loop p99. */
async function steps(take, setRate) {
  const out = [];
  for (const rate of rates) {
    setRate(rate);
    await sleep(2000);
    await take();
    await sleep(seconds * 1000);
    const r = await take();
    out.push({ rate, deliveredPerSec: r.delivered / seconds, loopP99Ms: r.loopP99Ms });
  }
  return out;
}

// The bare reader.
let snd = await sender();
const reader = fork(new URL('./bare-reader.mjs', import.meta.url).pathname, ['--port', String(snd.port), '--clients', String(N)], {
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
await new Promise((r) => reader.once('message', r));
snd.s.send('start');
const bare = await steps(
  () =>
    new Promise((r) => {
      reader.once('message', (m) => r({ delivered: m.bytes / FRAME, loopP99Ms: m.loopP99Ms }));
      reader.send('take');
    }),
  (rate) => snd.s.send({ rate }),
);
reader.kill('SIGKILL');
snd.s.kill('SIGKILL');

// mdbench-client with one worker.
snd = await sender();
const json = join(dir, 'client.jsonl');
const client = new Proc(
  'client',
  [
    '-s',
    `127.0.0.1:${snd.port}`,
    '--clients',
    String(N),
    '--subjects',
    '/p/s{1..1}/-',
    '--workers',
    '1',
    '--semi-space-mb',
    '16',
    '--interval',
    '1',
    '--clock-samples',
    '0',
    '--json',
    json,
  ],
  { echo: true },
);
await client.waitFor(/Connected: /);
snd.s.send('start');
let lastCount = 0;
const md = await steps(
  async () => {
    await sleep(1100);
    const recs = jsonLines(readFileSync(json, 'utf8')).filter((x) => x.type === 'interval');
    const fresh = recs.slice(lastCount);
    lastCount = recs.length;
    return {
      delivered:
        fresh.reduce((a, x) => a + (x.counters.messages ?? 0), 0) *
        (seconds /
          Math.max(
            1,
            fresh.reduce((a, x) => a + x.seconds, 0),
          )),
      loopP99Ms: Math.max(0, ...fresh.map((x) => x.loopDelay.p99Ms)),
    };
  },
  (rate) => snd.s.send({ rate }),
);
client.kill('SIGINT');
await client.exited;
snd.s.kill('SIGKILL');

const capacity = (rows) => Math.max(0, ...rows.filter((r) => r.loopP99Ms < 20 && r.deliveredPerSec >= 0.95 * r.rate * N).map((r) => r.deliveredPerSec));
figure('subscribers', N);
for (const [i, rate] of rates.entries()) {
  figure(`step_${rate}_target_deliveries_per_sec`, rate * N);
  figure(`step_${rate}_baseline_delivered_per_sec`, bare[i].deliveredPerSec);
  figure(`step_${rate}_baseline_loop_p99`, bare[i].loopP99Ms, 'ms');
  figure(`step_${rate}_mdbench_delivered_per_sec`, md[i].deliveredPerSec);
  figure(`step_${rate}_mdbench_loop_p99`, md[i].loopP99Ms, 'ms');
}
const cb = capacity(bare);
const cm = capacity(md);
figure('baseline_capacity', cb, 'deliveries/s with loop p99 < 20 ms (bare read loop)');
figure('mdbench_client_worker_capacity', cm, 'deliveries/s with loop p99 < 20 ms (one worker: frames, protocol, latency, integrity)');
figure('mdbench_capacity_ratio', cb > 0 ? cm / cb : 0, 'x baseline');
process.exit(0);
