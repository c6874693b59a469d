#!/usr/bin/env node
// A reconnect storm at scale: N subscribers (default 100,000, over local aliases with explicit ports)
// on mdbench-server; the server is killed and started again on the same port; the client's Recovery
// line times 50/90/99/100% of them back and resubscribed. The baseline, in the same run, is the
// first ramp of the same connections at the same connect rate (the storm's return against a ramp).
// (The ports lie below the ephemeral range, where the server's own port never falls.)
// Prints one figure a line. Usage: node tools/bench/storm.mjs [--clients 100000] [--down 2] [--connect-rate 5000]
import { arg, figure, freePort, Proc, signalTree, sleep, startServer } from '../harness/processes.mjs';

const clients = Number(arg('clients', '100000'));
const downS = Number(arg('down', '2'));
const connectRate = arg('connect-rate', '5000');
const aliases = Math.ceil(clients / 25_000);
const port = await freePort();
// The server's workers hold at most ~19,000 sockets each here (the open-file limit is 20,000 a process).
const serverArgs = ['--listen', `127.0.0.1:${port}`, '--workers', String(Math.max(2, Math.ceil(clients / 15_000)))];
let server = await startServer(serverArgs);
const client = new Proc('client', [
  '-s',
  `127.0.0.1:${port}`,
  '--clients',
  String(clients),
  '--subjects',
  '/p/s{1..1000}/-',
  '--local-addresses',
  `127.0.7.{1..${aliases}}`,
  '--local-ports',
  '2000-31999',
  '--connect-rate',
  connectRate,
  '--reconnect-min',
  '0.5',
  '--reconnect-max',
  '5',
  '--interval',
  '5',
  '--duration',
  '600',
]);
try {
  const started = performance.now();
  const all = new Intl.NumberFormat('en-US').format(clients);
  await client.waitFor(new RegExp(`Connected: ${all} open, ${all} subscribed`), 600_000);
  const rampS = (performance.now() - started) / 1000;
  await sleep(3000);
  signalTree(server.proc.child.pid, 'SIGKILL');
  await server.proc.exited;
  await sleep(downS * 1000);
  server = await startServer(serverArgs);
  const m = await client.waitFor(
    /Recovery: 50% ([\d.]+) s, 90% ([\d.]+) s, 99% ([\d.]+) s, 100% ([\d.]+) s after the drop of ([\d,]+) at [\d.]+ s \(seen in the gauges\); ([\d,]+) attempts, peak ([\d,]+) resubscribed\/s/,
    600_000,
  );
  figure('connections', clients);
  figure('server down', downS, 's');
  figure('baseline: first ramp of all connections', rampS, 's');
  figure('recovery 50% back', Number(m[1]), 's');
  figure('recovery 90% back', Number(m[2]), 's');
  figure('recovery 99% back', Number(m[3]), 's');
  figure('recovery 100% back', Number(m[4]), 's');
  figure('dropped', m[5]);
  figure('attempts', m[6]);
  figure('peak resubscribed per second', m[7]);
  figure('recovery 99% / first ramp', Number(m[3]) / rampS, 'x');
} finally {
  client.kill('SIGINT');
  await client.exited;
  await server.stop();
}
