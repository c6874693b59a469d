#!/usr/bin/env node
// The shared accept socket with many workers: N connections ramped into mdbench-server with W
// workers (as many as the open-file limit forces at a million connections), first with every
// worker accepting (--accepting-workers 0, the baseline), then with at most --accepting (6) at once,
// the others waiting for a turn. Prints the connect rate of each and the ratio.
// Usage: node tools/bench/accept-turns.mjs [--connections 60000] [--workers 40] [--accepting 6]
import { arg, figure, sleep, startServer } from '../harness/processes.mjs';
import { CONNECTED, oneToOneFleet } from './one-to-one-fleet.mjs';

const N = Number(arg('connections', '60000'));
const workers = Number(arg('workers', '40'));
const accepting = Number(arg('accepting', '6'));

/** Connections a second, first connect to last subscription, with `acceptingWorkers` accepting at once (0: all). */
async function ramp(acceptingWorkers) {
  const server = await startServer(['--workers', String(workers), '--expect-connections', String(N + 1000), '--accepting-workers', String(acceptingWorkers)]);
  const client = oneToOneFleet(server.port, N, { aliases: '127.0.4', extra: ['--connect-rate', '20000', '--max-pending', '4000', '--interval', '5'] });
  const m = await client.waitFor(CONNECTED, 600_000);
  client.kill('SIGINT');
  await client.exited;
  await server.stop();
  await sleep(3000);
  if (m[3] !== '0') throw new Error(`${m[3]} connections failed`);
  return Number(m[5].replace(/,/g, ''));
}

const all = await ramp(0);
const turns = await ramp(accepting);
figure('connections', N);
figure('server_workers', workers);
figure('connect_rate_all_accepting', all, 'conn/s (baseline: every worker waits on the shared socket)');
figure(`connect_rate_${accepting}_accepting`, `${turns} conn/s (${(turns / all).toFixed(2)}x)`);
process.exit(0);
