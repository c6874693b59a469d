#!/usr/bin/env node
// Connections held, their rate and their memory against bare sockets. Opens N connections on loopback over 127.0.x.y aliases with
// explicit successive local ports, twice:
//  - the baseline: a bare net.connect per socket (as many client processes as mdbench-client uses)
//    into a bare accept-only server (as many worker processes as mdbench-server uses, one shared
//    listening socket; tools/bench/bare-accept-server.mjs);
//  - mdbench-client into mdbench-server, every connection upgraded and subscribed, held for --hold
//    seconds while a publisher sends --rate msg/s.
// Prints one figure per line: RSS per connection of each side against its baseline, the client's
// connection rate against bare connects, the kernel's slab per connection, and every message
// accounted. Usage: node tools/bench/connections.mjs [--connections 100000] [--hold 30] [--rate 1000] [--connect-rate 8000]
import { fork, spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseServerWorkers } from '@mdbench/server';
import { arg, figure, jsonLines, processTree, sleep, Proc, startServer, track, treeRss } from '../harness/processes.mjs';

const N = Number(arg('connections', '100000'));
const holdS = Number(arg('hold', '30'));
const rate = Number(arg('rate', '1000'));
const connectRate = Number(arg('connect-rate', '8000'));
const PER_PROCESS = 19_000;
const procs = Math.max(2, Math.ceil(N / PER_PROCESS));
// As mdbench-server sizes itself for --expect-connections with this host's open-file limit of 20,000.
const serverWorkers = chooseServerWorkers(undefined, N, 20_000, true);
const addrCount = Math.ceil(N / 40000);
const dir = mkdtempSync(join(tmpdir(), 'mdbench-conn-'));
// CPU: the host's busy time from /proc/stat (softirq included: the kernel's TCP work on loopback is
// mostly there, attributed to no process), in seconds.
const hostBusyS = () => {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6]) / 100; // user nice system irq softirq, USER_HZ = 100
};
// A process tree's own CPU (user + system), in seconds.
const treeCpuS = (pid) =>
  processTree(pid).reduce((a, p) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      return a + (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return a;
    }
  }, 0);
// Waits until the kernel has freed the previous phase's sockets (Slab stops shrinking).
async function slabSettled() {
  let last = Infinity;
  for (let i = 0; i < 120; i++) {
    const now = meminfo('Slab');
    if (now > last * 0.995) return now;
    last = now;
    await sleep(1000);
  }
  return last;
}
const meminfo = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))[1]) * 1024;
console.error(`bench: ${N} connections, ${procs} client processes, ${serverWorkers} server workers, ${addrCount} addresses per phase`);

// --- baseline: bare connects into a bare accept-only server ---
const bare = track(
  spawn(process.execPath, [new URL('./bare-accept-server.mjs', import.meta.url).pathname, '--workers', String(serverWorkers)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
const barePort = await new Promise((resolve) => bare.stdout.on('data', (d) => /listening (\d+)/.test(d) && resolve(Number(/listening (\d+)/.exec(d)[1]))));
await sleep(1000);
const bareRss0 = treeRss(bare.pid);
const slab0 = await slabSettled();
const bAddrs = Array.from({ length: addrCount }, (_, k) => `127.0.1.${k + 1}`);
const workers = [];
const tB = performance.now();
const hostB0 = hostBusyS();
const bareCpu0 = treeCpuS(bare.pid);
const results = await Promise.all(
  Array.from({ length: procs }, (_, k) => {
    const from = Math.floor((k * N) / procs);
    const count = Math.floor(((k + 1) * N) / procs) - from;
    const w = track(
      fork(new URL('./baseline-worker.mjs', import.meta.url).pathname, [], {
        env: {
          ...process.env,
          BASELINE: JSON.stringify({ host: '127.0.0.1', port: barePort, addresses: bAddrs, portFrom: 20000, from, count, rate: connectRate / procs }),
        },
      }),
    );
    workers.push(w);
    return new Promise((r) => w.on('message', (m) => m.type === 'done' && r(m)));
  }),
);
const baseSeconds = (performance.now() - tB) / 1000;
const baseHostCpu = hostBusyS() - hostB0;
const baseServerCpu = treeCpuS(bare.pid) - bareCpu0;
const baseClientCpu = workers.reduce((a, w) => a + treeCpuS(w.pid), 0);
const baseOpen = results.reduce((a, r) => a + r.open, 0);
const baseClientRss = results.reduce((a, r) => a + r.rss - r.rssStart, 0);
await sleep(2000);
const bareServerRss = treeRss(bare.pid) - bareRss0;
const baseSlab = meminfo('Slab') - slab0;
for (const w of workers) w.send('close');
bare.kill('SIGKILL');
await sleep(3000);

// --- mdbench-client into mdbench-server ---
const server = await startServer(['--expect-connections', String(N + 1000), '--workers', String(serverWorkers)], { echo: true });
const serverPid = server.proc.child.pid;
await sleep(1000);
const serverRss0 = treeRss(serverPid);
const cAddrs = `127.0.2.{1..${addrCount}}`;
const json = join(dir, 'client.jsonl');
const slab1 = await slabSettled();
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
    cAddrs,
    '--local-ports',
    '20000-64999',
    '--workers',
    String(procs),
    '--connect-rate',
    String(connectRate),
    '--max-pending',
    '4000',
    '--interval',
    '10',
    '--json',
    json,
    '--handshake-timeout',
    '30',
  ],
  { echo: true },
);
const hostC0 = hostBusyS();
const serverCpu0 = treeCpuS(serverPid);
const connected = await client.waitFor(
  /Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed in ([\d.,]+) s \(([\d,]+) connections\/s; handshakes alone ([\d,]+)\/s\)/,
  3_600_000,
);
const rampHostCpu = hostBusyS() - hostC0;
const rampServerCpu = treeCpuS(serverPid) - serverCpu0;
const rampClientCpu = treeCpuS(client.child.pid); // from its start, as the baseline's connecting processes
const num = (s) => Number(s.replace(/,/g, ''));
const pub = new Proc(
  'publisher',
  ['-s', `127.0.0.1:${server.port}`, '--subjects', `/p/s{1..${N}}/-`, '--frequency', String(rate), '--duration', String(holdS), '--interval', '10'],
  { echo: true },
);
await sleep(Math.min(10, holdS) * 1000);
const children = readFileSync(`/proc/${client.child.pid}/task/${client.child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
const clientWorkersRss = children.reduce((a, c) => a + treeRss(c), 0);
const serverRss = treeRss(serverPid) - serverRss0;
const slab = meminfo('Slab') - slab1;
const stats = await server.get('/stats');
await pub.exited;
await sleep(3000);
const serverEnd = await server.get('/stats');
const serverRssTotal = treeRss(serverPid);
client.kill('SIGINT');
await client.exited;
await server.stop();
const records = jsonLines(readFileSync(json, 'utf8'));
const summary = records.find((r) => r.type === 'summary');
const pubSent = Number(/Total messages: ([\d,]+)/.exec(pub.stdout.slice(pub.stdout.lastIndexOf('Summary')))[1].replace(/,/g, ''));
const clientRssStart = summary.rssStartBytes;
const open = num(connected[1]);
const bareConnRate = baseOpen / baseSeconds;

figure('connections_planned', N);
figure('client_processes', procs);
figure('server_workers', serverWorkers);
figure('baseline_connections_open', baseOpen);
figure('baseline_connect_rate', bareConnRate, 'conn/s (bare net.connect into a bare accept-only server)');
figure('baseline_client_rss_per_connection', baseClientRss / baseOpen, 'bytes');
figure('baseline_server_rss_per_connection', bareServerRss / baseOpen, 'bytes (bare accept-only server)');
figure('baseline_slab_per_connection', baseSlab / baseOpen, 'bytes (both ends)');
const us = (cpuS, n) => (cpuS / n) * 1e6;
figure('baseline_cpu_per_connection_host', us(baseHostCpu, baseOpen), 'us (host busy time, kernel softirq included)');
figure('baseline_cpu_per_connection_clients', us(baseClientCpu, baseOpen), 'us (connecting processes, user + system)');
figure('baseline_cpu_per_connection_server', us(baseServerCpu, baseOpen), 'us (bare accept-only server, user + system)');
figure('client_connections_open', open);
figure('client_connections_subscribed', num(connected[2]));
figure('client_connections_failed', num(connected[3]));
figure('client_connect_rate', num(connected[5]), 'conn/s (first connect to last subscription acknowledged)');
figure('client_connect_rate_ratio', num(connected[5]) / bareConnRate, 'x baseline');
figure('client_handshake_rate', num(connected[6]), 'conn/s (upgrade done, before subscribing)');
figure('ramp_cpu_per_connection_host', us(rampHostCpu, open), 'us (host busy time during the ramp, kernel softirq included)');
figure('ramp_cpu_per_connection_client', us(rampClientCpu, open), 'us (mdbench-client, user + system)');
figure('ramp_cpu_per_connection_server', us(rampServerCpu, open), 'us (mdbench-server, user + system)');
figure('client_rss_per_connection', (clientWorkersRss - clientRssStart) / open, 'bytes');
figure('client_rss_per_connection_ratio', (clientWorkersRss - clientRssStart) / open / (baseClientRss / baseOpen), 'x baseline');
figure('client_workers_rss_total', clientWorkersRss / 1048576, 'MiB');
figure('server_connections', stats.connections);
figure('server_rss_per_connection', serverRss / stats.connections, 'bytes (growth over its size before the clients)');
figure('server_rss_per_connection_ratio', serverRss / stats.connections / (bareServerRss / baseOpen), 'x bare accept-only server');
figure('server_rss_total', serverRssTotal / 1048576, 'MiB');
figure('kernel_slab_per_connection', slab / open, 'bytes (both ends)');
figure('held_seconds', holdS);
figure('publisher_messages', pubSent);
figure('client_messages', summary.counters.messages ?? 0);
figure('client_gaps', summary.counters.gaps ?? 0);
figure('server_messages_in', serverEnd.totals.messagesIn ?? 0);
figure('server_messages_out', serverEnd.totals.messagesOut ?? 0);
figure('messages_unaccounted', pubSent - summary.counters.messages - (summary.counters.gaps ?? 0), '(published - received - gaps)');
figure('client_open_at_end', summary.gauges.open);
process.exit(0);
