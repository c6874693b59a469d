#!/usr/bin/env node
// How often mdbench-report compare calls a regression where there is none, and whether it finds a
// real one: back-to-back runs of the same setup (200 subscribers, one-to-one, 1,000 msg/s for 10 s,
// 1 s intervals: ten batches a run), compared in pairs at the default tolerance (10%, 1 ms), and the same setup against a server that
// holds every message 20 ms longer (--test-hold-ms 20). With --runs-per-side 3, each comparison takes
// three runs a side (judged by the variance between runs).
// Prints one figure a line. Usage: node tools/bench/compare-noise.mjs [--pairs 20] [--held 3] [--runs-per-side 1]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, arg, binPath, figure, run, startServer } from '../harness/processes.mjs';

const pairs = Number(arg('pairs', '20'));
const heldPairs = Number(arg('held', '3'));
const perSide = Number(arg('runs-per-side', '1'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-compare-noise-'));
let runs = 0;

/** One run against a fresh server started with `serverArgs`; returns the client's log. */
async function runOnce(serverArgs) {
  const json = join(dir, `run-${++runs}.jsonl`);
  const server = await startServer(['--workers', '1', ...serverArgs]);
  try {
    const client = new Proc('client', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      '200',
      '--subjects',
      '/p/s{1..200}/-',
      '--one-to-one',
      '--interval',
      '1',
      '--json',
      json,
    ]);
    await client.waitFor(/Connected: 200 open, 200 subscribed/, 60_000);
    await run('publisher', ['-s', `127.0.0.1:${server.port}`, '--subjects', '/p/s{1..200}/-', '--frequency', '1000', '--duration', '10', '--interval', '1']);
    client.kill('SIGINT');
    await client.exited;
  } finally {
    await server.stop();
  }
  return json;
}

async function side(serverArgs) {
  const files = [];
  for (let i = 0; i < perSide; i++) files.push(await runOnce(serverArgs));
  return files;
}

/** Compares a baseline side with a candidate side; returns whether a regression was called. */
function regressed(base, cand) {
  const r = spawnSync(process.execPath, [binPath('report'), 'compare', '--baseline', base.join(','), ...cand], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 98) throw new Error(r.stderr || r.stdout);
  // A comparison that could not judge the latency measured nothing: the bench's setup is wrong.
  if (/latency mean: .*too few samples/.test(r.stdout)) throw new Error(`compare could not judge:\n${r.stdout}`);
  const line = /Verdict: (.*)/.exec(r.stdout)?.[1] ?? '';
  console.error(`compare: ${line}`);
  return r.status === 98;
}

let false_ = 0;
for (let i = 0; i < pairs; i++) if (regressed(await side([]), await side([]))) false_++;
let found = 0;
for (let i = 0; i < heldPairs; i++) if (regressed(await side([]), await side(['--test-hold-ms', '20']))) found++;
figure('runs per side', perSide);
figure('same-setup pairs', pairs);
figure('regressions called on the same setup', false_);
figure('pairs with a +20 ms hold', heldPairs);
figure('+20 ms hold found', found);
