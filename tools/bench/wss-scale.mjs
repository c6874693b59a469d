#!/usr/bin/env node
// wss:// at scale on this box: --connections subscribers (default 200,000) over 127.0.3.x aliases with
// explicit successive ports, one subject each, into mdbench-server with TLS (its workers sized by
// --expect-connections for the 20,000 open files a process may hold), every connection a full TLS
// handshake, upgraded and subscribed; then held while mdbench-publisher sends --rate msg/s over
// wss:// for --hold seconds, every message accounted. The baseline, measured in the same run:
// --baseline bare tls.connect sockets into a bare tls.createServer (tools/bench/bare-tls.mjs, one
// process a side). One figure a line.
// Usage: node tools/bench/wss-scale.mjs [--connections 200000] [--hold 30] [--rate 2000] [--baseline 10000]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseServerWorkers } from '@mdbench/server';
import { makeCerts } from '../harness/certs.mjs';
import { measureBareTls } from '../harness/tls-baseline.mjs';
import { Proc, arg, figure, jsonLines, sleep, startServer, treeRss } from '../harness/processes.mjs';

const N = Number(arg('connections', '200000'));
const holdS = Number(arg('hold', '30'));
const rate = Number(arg('rate', '2000'));
const baseN = Number(arg('baseline', '10000'));
const PER_PROCESS = 19_000;
const procs = Math.max(2, Math.ceil(N / PER_PROCESS));
const serverWorkers = chooseServerWorkers(undefined, N, 20_000, true);
const addrCount = Math.ceil(N / 40000);
const certs = makeCerts();
const dir = mkdtempSync(join(tmpdir(), 'mdbench-wss-scale-'));
const num = (s) => Number(s.replace(/,/g, ''));
console.error(`wss bench: ${N} connections, ${procs} client processes, ${serverWorkers} server workers, ${addrCount} addresses`);

// --- baseline: bare Node TLS, one process a side ---
const bare = await measureBareTls({ certs, n: baseN });
await sleep(2000);

// --- mdbench over wss:// ---
const server = await startServer(
  ['--tls-cert', certs.cert, '--tls-key', certs.key, '--expect-connections', String(N + 1000), '--workers', String(serverWorkers)],
  { echo: true },
);
const serverPid = server.proc.child.pid;
await sleep(1000);
const serverRss0 = treeRss(serverPid);
const url = `wss://127.0.0.1:${server.port}/`;
const json = join(dir, 'client.jsonl');
const client = new Proc(
  'client',
  [
    '-s',
    url,
    '--tls-ca',
    certs.ca,
    '--tls-servername',
    'localhost',
    '--clients',
    String(N),
    '--subjects',
    `/p/s{1..${N}}/-`,
    '--one-to-one',
    '--local-addresses',
    `127.0.3.{1..${addrCount}}`,
    '--local-ports',
    '20000-64999',
    '--workers',
    String(procs),
    '--max-pending',
    '2000',
    '--interval',
    '10',
    '--json',
    json,
    '--handshake-timeout',
    '60',
  ],
  { echo: true },
);
const connected = await client.waitFor(/Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed in ([\d.,]+) s \(([\d,]+) connections\/s/, 3_600_000);
// The memory of both sides once an interval has reported every connection subscribed.
const lastInterval = () =>
  jsonLines(readFileSync(json, 'utf8'))
    .filter((r) => r.type === 'interval')
    .pop();
for (let t = 0; t < 120 && !(lastInterval()?.gauges.subscribed >= N); t++) await sleep(1000);
const serverRss = treeRss(serverPid) - serverRss0;
const before = lastInterval();
const clientRss = before.perProcess.reduce((a, p) => a + p.rssBytes, 0) - before.rssStartBytes;
const pub = new Proc(
  'publisher',
  [
    '-s',
    url,
    '--tls-ca',
    certs.ca,
    '--tls-servername',
    'localhost',
    '--subjects',
    `/p/s{1..${N}}/-`,
    '--frequency',
    String(rate),
    '--duration',
    String(holdS),
    '--interval',
    '10',
  ],
  { echo: true },
);
await pub.exited;
await sleep(5000);
client.kill('SIGINT');
await client.exited;
await server.stop();
const summary = jsonLines(readFileSync(json, 'utf8')).find((r) => r.type === 'summary');
const pubSent = num(/Total messages: ([\d,]+)/.exec(pub.stdout.slice(pub.stdout.lastIndexOf('Summary')))[1]);
const open = num(connected[1]);

figure('connections_planned', N);
figure('client_processes / server_workers', procs, `/ ${serverWorkers}`);
figure('baseline bare tls.connect RSS per socket', bare.clientRssPerSocket, `B (${baseN} sockets)`);
figure('baseline bare tls.createServer RSS per socket', bare.serverRssPerSocket, 'B');
figure('baseline bare full handshakes', bare.fullPerSec, '/s (one process a side)');
figure('wss connections open and subscribed', num(connected[2]), `of ${N} (${connected[3]} failed)`);
figure(
  'wss connect rate (full handshake, upgrade, subscribe)',
  num(connected[5]),
  `/s (${(num(connected[5]) / bare.fullPerSec).toFixed(2)}x bare full handshakes; ${procs} client and ${serverWorkers} server processes on 2 cores)`,
);
figure('client RSS per wss connection', clientRss / open, `B (${(clientRss / open / bare.clientRssPerSocket).toFixed(2)}x bare tls.connect)`);
figure('server RSS per wss connection', serverRss / open, `B (${(serverRss / open / bare.serverRssPerSocket).toFixed(2)}x bare tls server)`);
figure('messages published', pubSent);
figure('messages received', summary.counters.messages ?? 0, `(gaps ${summary.counters.gaps ?? 0}, TLS full handshakes ${summary.counters.tlsFull ?? 0})`);
process.exit(0);
