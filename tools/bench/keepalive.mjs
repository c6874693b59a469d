#!/usr/bin/env node
// What the native keepalive costs: N idle subscribed connections (mdbench-client into
// mdbench-server, one-to-one subjects, no messages) held twice for --window seconds, first with a
// keepalive period so long that none falls in the window (the baseline), then with --period seconds
// (a quiet native connection sends a TIME_REQUEST, answered, every other period: the client counts
// them). The difference in the host's busy CPU (kernel softirq included) over the keepalives sent
// is the cost of one; with it, the cores a period costs at 1,200,000 quiet connections (the
// article's box) with the default quiet-only keepalives.
// Usage: node tools/bench/keepalive.mjs [--connections 60000] [--period 5] [--window 30]
import { mkdtempSync, readFileSync } from 'node:fs';
import { chooseServerWorkers } from '@mdbench/server';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, figure, sleep, startServer } from '../harness/processes.mjs';
import { oneToOneFleet } from './one-to-one-fleet.mjs';

const N = Number(arg('connections', '60000'));
const periodS = Number(arg('period', '5'));
const windowS = Number(arg('window', '30'));
const serverWorkers = chooseServerWorkers(undefined, N, 20_000, true);
const hostBusyS = () => {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6]) / 100; // user nice system irq softirq, USER_HZ = 100
};

const server = await startServer(['--expect-connections', String(N + 1000), '--workers', String(serverWorkers)]);

const dir = mkdtempSync(join(tmpdir(), 'mdbench-keepalive-'));

/** The host's busy cores over the window while N connections are held with keepalive `period`, and the keepalives sent in it. */
async function held(period) {
  const json = join(dir, `client-${period}.jsonl`);
  const client = oneToOneFleet(server.port, N, { extra: ['--keepalive', String(period), '--interval', '10', '--json', json] });
  await client.waitFor(/Connected: ([\d,]+) open, ([\d,]+) subscribed, 0 failed/, 600_000);
  // Past the first keepalives' start (each connection's first is one period after it subscribed).
  await sleep(Math.min(period, 10) * 1000 + 5000);
  const before = keepalivesIn(json);
  const t0 = hostBusyS();
  await sleep(windowS * 1000);
  const cores = (hostBusyS() - t0) / windowS;
  const sent = keepalivesIn(json) - before;
  client.kill('SIGINT');
  await client.exited;
  await sleep(3000);
  return { cores, sent };
}

/** Keepalives the client's interval records count so far. */
function keepalivesIn(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"interval"'))
    .reduce((a, l) => a + (JSON.parse(l).counters.keepalives ?? 0), 0);
}

const idle = await held(3600);
const busy = await held(periodS);
await server.stop();
const perSecond = busy.sent / windowS;
const usPer = ((busy.cores - idle.cores) / perSecond) * 1e6;
// Quiet connections send one every other period (the first after a quiet period, none after an answered one).
const perConnPerPeriod = perSecond / (N / periodS);
figure('connections', N);
figure('host_cores_idle', idle.cores, `cores (no keepalive due in the window: ${idle.sent} sent)`);
figure(
  'host_cores_with_keepalive',
  busy.cores,
  `cores (period ${periodS} s: ${Math.round(perSecond)} keepalives/s, ${perConnPerPeriod.toFixed(2)} per connection per period)`,
);
figure('cost_per_keepalive', usPer, 'us of host CPU (client, server and kernel)');
for (const p of [30, 120, 300]) figure(`cores_at_1.2M_quiet_period_${p}s`, (1_200_000 / p) * perConnPerPeriod * (usPer / 1e6), 'cores');
process.exit(0);
