#!/usr/bin/env node
// Churn at scale: N subscribers (default 50,000, over local aliases with explicit ports) on
// mdbench-server, each living an exponential lifetime of mean --mean-life seconds (default 60: N/60
// connects and disconnects a second), for --minutes (default 10), while a publisher sends 1,000 msg/s
// over 1,000 subjects. The baselines are of the same run: the planned population for what held, and
// the client workers' open files right after the ramp for what they hold at the end (no leak).
// Prints one figure a line. Usage: node tools/bench/churn.mjs [--clients 50000] [--mean-life 60] [--minutes 10]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, arg, descendantFds, figure, freePort, jsonLines, sleep, startServer, summaryOf } from '../harness/processes.mjs';

const clients = Number(arg('clients', '50000'));
const meanLife = Number(arg('mean-life', '60'));
const minutes = Number(arg('minutes', '10'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-churn-bench-'));
const json = join(dir, 'client.jsonl');
const port = await freePort();
// The server's workers hold at most ~19,000 sockets each here (the open-file limit is 20,000 a process).
const server = await startServer(['--listen', `127.0.0.1:${port}`, '--workers', String(Math.max(2, Math.ceil(clients / 15_000)))]);

const client = new Proc('client', [
  '-s',
  `127.0.0.1:${port}`,
  '--clients',
  String(clients),
  '--subjects',
  '/p/s{1..1000}/-',
  '--local-addresses',
  `127.0.13.{1..${Math.ceil(clients / 25_000)}}`,
  '--local-ports',
  '2000-31999',
  '--workers',
  String(Math.max(2, Math.ceil(clients / 19_000))),
  '--lifetime',
  `exp:${meanLife}s`,
  '--interval',
  '5',
  '--duration',
  String(minutes * 60),
  '--json',
  json,
]);
const pub = new Proc('publisher', ['-s', `127.0.0.1:${port}`, '--subjects', '/p/s{1..1000}/-', '--frequency', '1000', '--duration', String(minutes * 60 + 60)]);
try {
  const all = new Intl.NumberFormat('en-US').format(clients);
  await client.waitFor(new RegExp(`Connected: ${all} open, ${all} subscribed`), 600_000);
  const rampedAtS = performance.now() / 1000;
  await sleep(2000);
  const fdsAfterRamp = descendantFds(client.child.pid);
  let fdsLate = fdsAfterRamp;
  // The open files near the end of the run (sampled until the client ends).
  while (client.child.exitCode === null) {
    fdsLate = descendantFds(client.child.pid);
    await Promise.race([client.exited, sleep(5000)]);
  }
  const code = await client.exited;
  const heldS = performance.now() / 1000 - rampedAtS;
  const records = jsonLines(readFileSync(json, 'utf8')).filter((r) => r.type === 'interval' && r.population);
  // Intervals after the ramp: the population's mean of 250-ms samples, and its lowest sample.
  const after = records.filter((r) => r.uptimeS > records[0].uptimeS + 60);
  const means = after.map((r) => r.population.mean);
  const s = summaryOf(json);
  const k = s.counters;
  figure('connections planned (the baseline)', clients);
  figure('mean lifetime', meanLife, 's');
  figure('held after the ramp', heldS, 's');
  figure('client exit code', code);
  figure('population mean over the intervals', means.reduce((a, n) => a + n, 0) / means.length);
  figure('population mean / planned', means.reduce((a, n) => a + n, 0) / means.length / clients, 'x');
  figure('lowest interval mean / planned', Math.min(...means) / clients, 'x');
  figure('lowest sample / planned', Math.min(...after.map((r) => r.population.min)) / clients, 'x');
  figure('lifetimes ended per second', after.reduce((a, r) => a + (r.counters.lifetimeEnds ?? 0), 0) / after.reduce((a, r) => a + r.seconds, 0), '/s');
  figure('client worker open files after the ramp (baseline)', fdsAfterRamp);
  figure('client worker open files at the end', fdsLate);
  figure('open files end / after the ramp', fdsLate / fdsAfterRamp, 'x');
  figure('messages received', k.messages ?? 0);
  figure('gaps (lost while online)', k.gaps ?? 0);
  figure('messages published while a connection was away', k.missedOffline ?? 0);
  figure('errors', JSON.stringify(s.errors ?? {}));
} finally {
  client.kill('SIGINT');
  pub.kill('SIGINT');
  await Promise.all([client.exited, pub.exited]);
  await server.stop();
}
