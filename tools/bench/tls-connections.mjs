#!/usr/bin/env node
// wss:// against bare Node TLS, one process each side (ECDSA P-256 certificates made now by openssl):
//  - the baseline: N bare tls.connect sockets into a bare tls.createServer (tools/bench/bare-tls.mjs),
//    full handshakes, then the same N resuming their sessions;
//  - mdbench-client (one worker) into mdbench-server --tls (one worker), every connection upgraded
//    and subscribed.
// Prints one figure a line with its ratio to the baseline measured in the same run: RSS per
// connection of each side, the full-handshake rate. Usage: node tools/bench/tls-connections.mjs [--connections 5000]
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCerts } from '../harness/certs.mjs';
import { Proc, arg, figure, processTree, rssOf, sleep, startServer, track } from '../harness/processes.mjs';

const N = Number(arg('connections', '5000'));
const certs = makeCerts();
const dir = mkdtempSync(join(tmpdir(), 'mdbench-tls-bench-'));
const bareJs = new URL('./bare-tls.mjs', import.meta.url).pathname;

// --- baseline ---
const bareServer = track(fork(bareJs, ['server', certs.cert, certs.key], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
const barePort = await new Promise((resolve) => bareServer.stdout.on('data', (d) => /listening (\d+)/.test(d) && resolve(Number(/listening (\d+)/.exec(d)[1]))));
await sleep(300);
const serverRss0 = rssOf(bareServer.pid);
let serverRssMax = serverRss0;
const watch = setInterval(() => (serverRssMax = Math.max(serverRssMax, rssOf(bareServer.pid))), 100);
const bareClient = track(spawn(process.execPath, [bareJs, 'client', String(barePort), certs.ca, String(N), '200'], { stdio: ['ignore', 'pipe', 'inherit'] }));
let out = '';
bareClient.stdout.on('data', (d) => (out += d));
await new Promise((r) => bareClient.once('exit', r));
clearInterval(watch);
bareServer.kill('SIGKILL');
const bare = JSON.parse(out);
bare.serverRssPerSocket = (serverRssMax - serverRss0) / N;

// --- mdbench ---
const server = await startServer(['--workers', '1', '--tls-cert', certs.cert, '--tls-key', certs.key]);
await sleep(500);
const workerOf = (pid) => processTree(pid).filter((p) => p !== pid)[0];
const srvWorker = workerOf(server.proc.child.pid);
const srvRss0 = rssOf(srvWorker);
const json = join(dir, 'client.jsonl');
const client = new Proc('client', ['-s', `wss://127.0.0.1:${server.port}/`, '--tls-ca', certs.ca, '--tls-servername', 'localhost', '--workers', '1', '--clients', String(N), '--max-pending', '200', '--connect-rate', '100000', '--interval', '3600', '--duration', '0', '--json', json]);
const m = await client.waitFor(/Connected: [\d,]+ open, [\d,]+ subscribed, 0 failed in ([\d.]+) s \(([\d,]+) connections\/s/, 600_000);
await sleep(1000);
const srvRss1 = rssOf(srvWorker);
client.kill('SIGINT');
await client.exited;
await server.stop();
const summary = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((r) => r.type === 'summary');
const clientRss = summary.perProcess.reduce((a, p) => a + p.rssBytes, 0);
const mine = {
  clientRssPerSocket: (clientRss - summary.rssStartBytes) / N,
  serverRssPerSocket: (srvRss1 - srvRss0) / N,
  perSec: Number(m[2].replace(/,/g, '')),
  full: summary.counters.tlsFull ?? 0,
};

console.error(`tls bench: ${N} connections, one process a side`);
figure('bare tls.connect RSS per socket', bare.clientRssPerSocket, 'B');
figure('bare tls.createServer RSS per socket', bare.serverRssPerSocket, 'B');
figure('bare full handshakes', bare.fullPerSec, '/s');
figure('bare resumed handshakes', bare.resumedPerSec, `/s (${bare.reused} of ${N} reused; ${(bare.resumedPerSec / bare.fullPerSec).toFixed(2)}x full)`);
figure('mdbench-client RSS per wss connection', mine.clientRssPerSocket, `B (${(mine.clientRssPerSocket / bare.clientRssPerSocket).toFixed(2)}x bare tls.connect)`);
figure('mdbench-server RSS per wss connection', mine.serverRssPerSocket, `B (${(mine.serverRssPerSocket / bare.serverRssPerSocket).toFixed(2)}x bare tls server)`);
figure('mdbench-client full handshakes + upgrade + subscribe', mine.perSec, `/s (${(mine.perSec / bare.fullPerSec).toFixed(2)}x bare full handshakes; ${mine.full} full)`);
