#!/usr/bin/env node
// Issue 4's scale bench. Opens N connections on loopback over 127.0.0.x aliases with explicit
// successive local ports to the reference server: first with a bare net.connect per socket (the
// baseline, spread over as many processes as mdbench-client uses), then through mdbench-client with
// every connection subscribed, held for --hold seconds while a publisher sends --rate msg/s.
// Prints one figure per line, with the client's ratios to the baseline.
// Usage: node tools/bench/connections.mjs [--connections 100000] [--hold 60] [--rate 1000] [--connect-rate 8000]
import { fork } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, figure, jsonLines, sleep, Proc, startServer } from '../harness/processes.mjs';

const N = Number(arg('connections', '100000'));
const holdS = Number(arg('hold', '60'));
const rate = Number(arg('rate', '1000'));
const connectRate = Number(arg('connect-rate', '8000'));
const PER_PROCESS = 19_000;
const procs = Math.max(2, Math.ceil(N / PER_PROCESS));
const addrCount = Math.ceil(N / 40000);
const dir = mkdtempSync(join(tmpdir(), 'mdbench-conn-'));

const meminfo = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))[1]) * 1024;
const rssOf = (pid) => {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
};
const childrenOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const treeRss = (pid) => rssOf(pid) + childrenOf(pid).reduce((a, c) => a + treeRss(c), 0);

const server = await startServer(['--expect-connections', String(N + 1000)]);
const serverPid = server.proc.child.pid;
await sleep(1000);
const serverRss0 = treeRss(serverPid);
console.error(`bench: ${N} connections, ${procs} client processes, ${addrCount} addresses per phase, server on ${server.port}`);

// --- baseline: bare net.connect ---
const slab0 = meminfo('Slab');
const bAddrs = Array.from({ length: addrCount }, (_, k) => `127.0.1.${k + 1}`);
const workers = [];
const tB = performance.now();
const results = await Promise.all(
  Array.from({ length: procs }, (_, k) => {
    const from = Math.floor((k * N) / procs);
    const count = Math.floor(((k + 1) * N) / procs) - from;
    const w = fork(new URL('./baseline-worker.mjs', import.meta.url).pathname, [], {
      env: { ...process.env, BASELINE: JSON.stringify({ host: '127.0.0.1', port: server.port, addresses: bAddrs, portFrom: 20000, from, count, rate: connectRate / procs }) },
    });
    workers.push(w);
    return new Promise((r) => w.on('message', (m) => m.type === 'done' && r(m)));
  }),
);
const baseSeconds = (performance.now() - tB) / 1000;
const baseOpen = results.reduce((a, r) => a + r.open, 0);
const baseRssDelta = results.reduce((a, r) => a + r.rss - r.rssStart, 0);
const baseSlab = meminfo('Slab') - slab0;
for (const w of workers) w.send('close');
await sleep(3000);

// --- mdbench-client ---
const cAddrs = `127.0.2.{1..${addrCount}}`;
const json = join(dir, 'client.jsonl');
const slab1 = meminfo('Slab');
const client = new Proc('client', ['-s', `127.0.0.1:${server.port}`, '--clients', String(N), '--subjects', `/p/s{1..${N}}/-`, '--one-to-one', '--local-addresses', cAddrs, '--local-ports', '20000-65000', '--workers', String(procs), '--connect-rate', String(connectRate), '--max-pending', '4000', '--interval', '10', '--json', json, '--handshake-timeout', '30'], { echo: true });
const connected = await client.waitFor(/Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed in ([\d.,]+) s \(([\d,]+) connections\/s; handshakes alone ([\d,]+)\/s\)/, 1_800_000);
const num = (s) => Number(s.replace(/,/g, ''));
const clientPid = client.child.pid;
const pub = new Proc('publisher', ['-s', `127.0.0.1:${server.port}`, '--subjects', `/p/s{1..${N}}/-`, '--frequency', String(rate), '--duration', String(holdS), '--interval', '10'], { echo: true });
await sleep(Math.min(10, holdS) * 1000);
const clientWorkersRss = childrenOf(clientPid).reduce((a, c) => a + rssOf(c), 0);
const serverRss = treeRss(serverPid);
const slab = meminfo('Slab') - slab1;
const stats = await server.get('/stats');
await pub.exited;
await sleep(3000);
const serverEnd = await server.get('/stats');
client.child.kill('SIGINT');
await client.exited;
await server.stop();
const records = jsonLines(readFileSync(json, 'utf8'));
const summary = records.find((r) => r.type === 'summary');
const pubSent = Number(/Total messages: ([\d,]+)/.exec(pub.stdout.slice(pub.stdout.lastIndexOf('Summary')))[1].replace(/,/g, ''));
const first = records.find((r) => r.type === 'interval');
const clientRssStart = summary.rssStartBytes ?? first?.rssStartBytes ?? 0;

figure('connections_planned', N);
figure('processes_per_side', procs);
figure('baseline_connections_open', baseOpen);
figure('baseline_connect_rate', baseOpen / baseSeconds, 'conn/s');
figure('baseline_rss_per_connection', baseRssDelta / baseOpen, 'bytes');
figure('baseline_slab_per_connection', baseSlab / baseOpen, 'bytes');
figure('client_connections_open', num(connected[1]));
figure('client_connections_subscribed', num(connected[2]));
figure('client_connections_failed', num(connected[3]));
figure('client_connect_rate', num(connected[5]), 'conn/s');
figure('client_connect_rate_ratio', num(connected[5]) / (baseOpen / baseSeconds), 'x baseline');
figure('client_handshake_rate', num(connected[6]), 'conn/s (upgrade done, before subscribing)');
figure('client_handshake_rate_ratio', num(connected[6]) / (baseOpen / baseSeconds), 'x baseline');
figure('client_rss_per_connection', (clientWorkersRss - clientRssStart) / num(connected[1]), 'bytes');
figure('client_rss_per_connection_ratio', (clientWorkersRss - clientRssStart) / num(connected[1]) / (baseRssDelta / baseOpen), 'x baseline');
figure('client_workers_rss_total', clientWorkersRss / 1048576, 'MiB');
figure('server_connections', stats.connections);
figure('server_rss_per_connection', (serverRss - serverRss0) / stats.connections, 'bytes (growth since before the baseline phase)');
figure('server_rss_total', serverRss / 1048576, 'MiB');
figure('kernel_slab_per_connection', slab / num(connected[1]), 'bytes (both ends)');
figure('held_seconds', holdS);
figure('publisher_messages', pubSent);
figure('client_messages', summary.counters.messages ?? 0);
figure('client_gaps', summary.counters.gaps ?? 0);
figure('server_messages_in', serverEnd.totals.messagesIn ?? 0);
figure('server_messages_out', serverEnd.totals.messagesOut ?? 0);
figure('messages_unaccounted', pubSent - summary.counters.messages - (summary.counters.gaps ?? 0), '(published - received - gaps)');
figure('client_open_at_end', summary.gauges.open);
