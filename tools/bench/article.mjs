#!/usr/bin/env node
// The article's per-box run at any scale: mdbench-server; one mdbench-client box opening
// 1,200,000 x SCALE subscribers over 19 or more aliases with explicit successive ports, one-to-one
// subjects as the article's instance 1; 8 publisher instances together publishing the box's share of
// 200,000 msg/s (20,000 x SCALE), 512 random bytes, 5-second reports; a hold after the ramp. Before
// it, the baseline of the same run: bare net.connect sockets (explicit ports, as many processes)
// into a bare accept-only server, min(N, 100,000) of them, for the connect rate.
// Prints the article's block beside the article's figures, mdbench's p99, the ramp, the connect
// rate against bare sockets, every published message reconciled, and memory per connection.
// Usage: node tools/bench/article.mjs [--scale 1] [--hold 600] [--baseline 100000]
import { fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseServerWorkers } from '@mdbench/server';
import { Proc, arg, binPath, figure, jsonLines, sleep, startServer, track, treeRss } from '../harness/processes.mjs';

const scale = Number(arg('scale', '1'));
const holdS = Number(arg('hold', '600'));
const N = Math.round(1_200_000 * scale);
const RATE = Math.round(20_000 * scale);
const PUBLISHERS = 8;
const baseN = Math.min(N, Number(arg('baseline', '100000')));
const aliases = Math.max(19, Math.ceil(N / 55_000));
const serverWorkers = chooseServerWorkers(undefined, N, 20_000, true);
const dir = mkdtempSync(join(tmpdir(), 'mdbench-article-'));
const num = (s) => Number(String(s).replace(/,/g, ''));
console.error(
  `article: ${N} subscribers over ${aliases} aliases, ${PUBLISHERS} publishers at ${RATE} msg/s in all, hold ${holdS} s, ${serverWorkers} server workers`,
);

/** Bare sockets, explicit ports, into a bare accept-only server: connections a second. */
async function bareRate() {
  const bare = track(
    spawn(process.execPath, [new URL('./bare-accept-server.mjs', import.meta.url).pathname, '--workers', '2'], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const port = await new Promise((resolve) => bare.stdout.on('data', (d) => /listening (\d+)/.test(d) && resolve(Number(/listening (\d+)/.exec(d)[1]))));
  const procs = Math.max(2, Math.ceil(baseN / 19_000));
  const addresses = Array.from({ length: Math.ceil(baseN / 40_000) }, (_, k) => `127.0.9.${k + 1}`);
  const t0 = performance.now();
  const workers = [];
  const done = await Promise.all(
    Array.from({ length: procs }, (_, k) => {
      const from = Math.floor((k * baseN) / procs);
      const count = Math.floor(((k + 1) * baseN) / procs) - from;
      const w = track(
        fork(new URL('./baseline-worker.mjs', import.meta.url).pathname, [], {
          env: { ...process.env, BASELINE: JSON.stringify({ host: '127.0.0.1', port, addresses, portFrom: 20000, from, count, rate: 1e9 }) },
        }),
      );
      workers.push(w);
      return new Promise((r) => w.on('message', (m) => m.type === 'done' && r(m)));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  for (const w of workers) w.send('close');
  bare.kill('SIGKILL');
  await sleep(5000);
  return done.reduce((a, r) => a + r.open, 0) / seconds;
}

const bare = await bareRate();
const server = await startServer(['--expect-connections', String(N + 1000), '--workers', String(serverWorkers), '--interval', '5'], { echo: true });
const serverPid = server.proc.child.pid;
await sleep(1000);
const serverRss0 = treeRss(serverPid);
const cjson = join(dir, 'client.jsonl');
const client = new Proc(
  'client',
  [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    String(N),
    '--subjects',
    `/p/s{1..${N}}/-`,
    '--one-to-one',
    '--local-addresses',
    `127.0.{10..${9 + aliases}}.1`,
    '--local-ports',
    '2000-64999',
    '--max-pending',
    '4000',
    '--handshake-timeout',
    '30',
    '--interval',
    '5',
    '--json',
    cjson,
  ],
  { echo: true },
);
const connected = await client.waitFor(/Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed in ([\d.,]+) s \(([\d,]+) connections\/s/, 3_600_000);
const pjson = (k) => join(dir, `publisher-${k}.jsonl`);
const pubs = Array.from(
  { length: PUBLISHERS },
  (_, k) =>
    new Proc(
      'publisher',
      [
        '-s',
        `127.0.0.1:${server.port}`,
        '--instance',
        String(k + 1),
        '--instances',
        String(PUBLISHERS),
        '--subjects',
        `/p/s{1..${N}}/-`,
        '--frequency',
        String(RATE / PUBLISHERS),
        '--message-size',
        '512',
        '--duration',
        String(holdS),
        '--interval',
        '5',
        '--json',
        pjson(k + 1),
      ],
      { echo: true },
    ),
);
await sleep(Math.min(60, holdS / 2) * 1000);
const clientRss = treeRss(client.child.pid);
const serverRss = treeRss(serverPid) - serverRss0;
await Promise.all(pubs.map((p) => p.exited));
client.kill('SIGINT');
await client.exited;
await server.stop();
const summary = jsonLines(readFileSync(cjson, 'utf8')).find((r) => r.type === 'summary');
const report = spawnSyncReport([cjson, ...Array.from({ length: PUBLISHERS }, (_, k) => pjson(k + 1))]);
const block = (label) =>
  new RegExp(`\\[INFO\\] ${label.replace(/[()%]/g, '\\$&')}: (.*)`).exec(client.stdout.slice(client.stdout.lastIndexOf('Summary: whole run')))?.[1] ?? 'n/a';

figure('subscribers_planned', N);
figure('aliases', aliases);
figure('subscribed', num(connected[2]));
figure('failed', num(connected[3]));
figure('ramp_seconds', num(connected[4]), 's');
figure('connect_rate', num(connected[5]), 'conn/s');
figure('baseline_bare_connect_rate', bare, `conn/s (${baseN} bare sockets, same run)`);
figure('connect_rate_ratio', num(connected[5]) / bare, 'x bare');
figure('publish_rate_target', RATE, `msg/s (${PUBLISHERS} publishers)`);
for (const [label, article] of [
  ['Latency mean', '269.68 ms'],
  ['Latency standard deviation', '420.36 ms'],
  ['Latency max', '2,024 ms'],
  ['Latency p99', 'n/a'],
  ['Frequency', '20,905.80 messages/sec'],
  ['Total messages', '7,089,699 (1,607 s)'],
]) {
  figure(label.toLowerCase().replace(/\W+/g, '_'), block(label), `(the article: ${article})`);
}
figure('delivery', /Delivery: (.*)/.exec(report)?.[1] ?? 'n/a');
figure('client_gaps', summary.counters.gaps ?? 0);
figure('client_rss_per_connection', clientRss / num(connected[1]), 'bytes (client processes)');
figure('server_rss_per_connection', serverRss / num(connected[1]), 'bytes (growth over its size before the clients)');
figure('combined_rss_per_connection', (clientRss + serverRss) / num(connected[1]), 'bytes (goal <= 6,144)');
// What went wrong on the way, in the tools' own words: workers named unresponsive, replaced, exited.
for (const [tool, text] of [
  ['server', server.proc.stdout],
  ['client', client.stdout],
]) {
  const warnings = text.split('\n').filter((l) => l.includes('[WARN]') || l.includes('[ERROR]'));
  figure(`${tool}_warnings`, warnings.length, warnings.length ? `(first: ${warnings.slice(0, 3).join(' | ')})` : '');
}
process.exit(0);

function spawnSyncReport(files) {
  const r = spawnSync(process.execPath, [binPath('report'), ...files], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}
