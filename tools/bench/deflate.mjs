#!/usr/bin/env node
// permessage-deflate's costs, each against the same setup without compression measured in the same run:
//  - idle: --connections subscribers (one client worker) held by mdbench-server (one worker), every
//    connection upgraded, subscribed and then idle: RSS per connection of each side, deflate vs none;
//  - one-to-one: --subscribers subscribers on a subject each, mdbench-publisher at --rate through
//    mdbench-server: the client's steady-state p99 (1 s intervals after the first --cold seconds of
//    messages, merged exactly), deflate vs none, and the wire/message ratio of the compressed run.
// One figure a line. Usage: node tools/bench/deflate.mjs [--connections 10000] [--subscribers 1000]
//   [--rate 25000] [--seconds 20] [--cold 2] [--parts idle,one-to-one]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureClient } from '../harness/latency-phases.mjs';
import { Proc, arg, figure, jsonLines, processTree, rssOf, sleep, startServer } from '../harness/processes.mjs';

const N = Number(arg('connections', '10000'));
const subscribers = Number(arg('subscribers', '1000'));
const rate = Number(arg('rate', '25000'));
const seconds = Number(arg('seconds', '20'));
const coldS = Number(arg('cold', '2'));
const parts = arg('parts', 'idle,one-to-one').split(',');
const dir = mkdtempSync(join(tmpdir(), 'mdbench-deflate-bench-'));
const modes = { none: [], deflate: ['--compression', 'deflate'] };

/** RSS per idle connection of the client and of the server's worker with `extra` on both sides. */
async function idle(name, extra) {
  const server = await startServer(['--workers', '1', ...extra]);
  await sleep(500);
  const worker = processTree(server.proc.child.pid).filter((p) => p !== server.proc.child.pid)[0];
  const srv0 = rssOf(worker);
  const json = join(dir, `idle-${name}.jsonl`);
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    ...extra,
    '--workers',
    '1',
    '--clients',
    String(N),
    '--subjects',
    `/p/s{1..${N}}/-`,
    '--one-to-one',
    '--local-addresses',
    '127.0.0.{2..3}',
    '--local-ports',
    '20000-29999',
    '--interval',
    '1',
    '--duration',
    '0',
    '--json',
    json,
  ]);
  await client.waitFor(/Connected: [\d,]+ open, [\d,]+ subscribed, 0 failed/, 600_000);
  await sleep(3000);
  const srv1 = rssOf(worker);
  const last = jsonLines(readFileSync(json, 'utf8'))
    .filter((r) => r.type === 'interval')
    .pop();
  client.kill('SIGINT');
  await client.exited;
  await server.stop();
  return { client: (last.perProcess.reduce((a, p) => a + p.rssBytes, 0) - last.rssStartBytes) / N, server: (srv1 - srv0) / N };
}

/** The one-to-one run with `extra` on every side. */
async function oneToOne(name, extra) {
  const server = await startServer(['--workers', '1', ...extra]);
  const clientArgs = [
    ...extra,
    '--clients',
    String(subscribers),
    '--subjects',
    `/p/s{1..${subscribers}}/-`,
    '--one-to-one',
    '--local-addresses',
    '127.0.0.{2..3}',
    '--local-ports',
    '23000-23999',
  ];
  let pubOut = '';
  const r = await measureClient({ port: server.port, dir, name, seconds, coldS, clientArgs }, async () => {
    const pub = new Proc('publisher', [
      '-s',
      `127.0.0.1:${server.port}`,
      ...extra,
      '--subjects',
      `/p/s{1..${subscribers}}/-`,
      '--frequency',
      String(rate),
      '--duration',
      String(seconds),
      '--interval',
      '5',
    ]);
    await pub.exited;
    pubOut = pub.stdout;
  });
  await server.stop();
  const s = jsonLines(readFileSync(join(dir, `${name}.jsonl`), 'utf8')).find((x) => x.type === 'summary');
  return {
    ...r,
    wireRatio: s.counters.deflateMessageBytes ? s.counters.deflateWireBytes / s.counters.deflateMessageBytes : NaN,
    publisherLine: /Compression: .*/.exec(pubOut)?.[0] ?? '',
  };
}

if (parts.includes('idle')) {
  const idleRuns = {};
  for (const [name, extra] of Object.entries(modes)) idleRuns[name] = await idle(name, extra);
  figure('idle connections', N);
  figure('client RSS per idle connection, none', idleRuns.none.client, 'B');
  figure('client RSS per idle connection, deflate', idleRuns.deflate.client, `B (${(idleRuns.deflate.client / idleRuns.none.client).toFixed(2)}x none)`);
  figure('server RSS per idle connection, none', idleRuns.none.server, 'B');
  figure('server RSS per idle connection, deflate', idleRuns.deflate.server, `B (${(idleRuns.deflate.server / idleRuns.none.server).toFixed(2)}x none)`);
}

if (parts.includes('one-to-one')) {
  const runs = {};
  for (const [name, extra] of Object.entries(modes)) runs[name] = await oneToOne(`one-${name}`, extra);
  figure(`one-to-one ${rate} msg/s, ${subscribers} subscribers: delivered, none`, runs.none.perSec, 'msg/s');
  figure(`one-to-one ${rate} msg/s: delivered, deflate`, runs.deflate.perSec, 'msg/s');
  figure('steady p99, none', runs.none.steadyMs, 'ms');
  figure('steady p99, deflate', runs.deflate.steadyMs, `ms (${(runs.deflate.steadyMs / runs.none.steadyMs).toFixed(2)}x none)`);
  figure('mean, none', runs.none.meanMs, 'ms');
  figure('mean, deflate', runs.deflate.meanMs, `ms (${(runs.deflate.meanMs / runs.none.meanMs).toFixed(2)}x none)`);
  figure('client event-loop p99, none / deflate', runs.none.loopP99Ms, `ms / ${runs.deflate.loopP99Ms.toFixed(2)} ms`);
  figure('wire bytes per message byte received, deflate', runs.deflate.wireRatio, `(publisher: ${runs.deflate.publisherLine})`);
  figure('gaps, none / deflate', runs.none.gaps + runs.deflate.gaps);
}
process.exit(0);
