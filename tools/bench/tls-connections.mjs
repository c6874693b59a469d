#!/usr/bin/env node
// wss:// against bare Node TLS, one process each side (ECDSA P-256 certificates made now by openssl):
//  - the baseline: N bare tls.connect sockets into a bare tls.createServer (tools/bench/bare-tls.mjs),
//    full handshakes, then the same N resuming their sessions;
//  - mdbench-client (one worker) into mdbench-server --tls (one worker), every connection upgraded
//    and subscribed.
// Prints one figure a line with its ratio to the baseline measured in the same run: RSS per
// connection of each side, the full-handshake rate, and the resumed-handshake rate after a whole
// server restart that keeps its ticket keys (--tls-ticket-keys): full from the ramp's Connected line
// (handshake, upgrade, subscribe), resumed from the client's own 0.1 s intervals, from the first
// interval with a resumed handshake to the last.
// Usage: node tools/bench/tls-connections.mjs [--connections 5000] [--tls-max-version TLSv1.2]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCerts } from '../harness/certs.mjs';
import { measureBareTls } from '../harness/tls-baseline.mjs';
import { Proc, arg, figure, processTree, rssOf, sleep, startServer } from '../harness/processes.mjs';

const N = Number(arg('connections', '5000'));
const maxVersion = arg('tls-max-version', 'TLSv1.3');
const certs = makeCerts();
const dir = mkdtempSync(join(tmpdir(), 'mdbench-tls-bench-'));

// --- baseline ---
const bare = await measureBareTls({ certs, n: N, maxVersion });

// --- mdbench ---
const keys = join(dir, 'ticket.keys');
writeFileSync(keys, randomBytes(48));
const serverArgs = ['--workers', '1', '--tls-cert', certs.cert, '--tls-key', certs.key, '--tls-ticket-keys', keys];
const server = await startServer(serverArgs);
await sleep(500);
const workerOf = (pid) => processTree(pid).filter((p) => p !== pid)[0];
const srvWorker = workerOf(server.proc.child.pid);
const srvRss0 = rssOf(srvWorker);
const json = join(dir, 'client.jsonl');
const client = new Proc('client', [
  '-s',
  `wss://127.0.0.1:${server.port}/`,
  '--tls-ca',
  certs.ca,
  '--tls-servername',
  'localhost',
  '--tls-max-version',
  maxVersion,
  '--workers',
  '1',
  '--clients',
  String(N),
  '--max-pending',
  '200',
  '--connect-rate',
  '100000',
  '--reconnect-min',
  '0.05',
  '--reconnect-max',
  '0.1',
  '--interval',
  '0.1',
  '--duration',
  '0',
  '--json',
  json,
]);
const m = await client.waitFor(/Connected: [\d,]+ open, [\d,]+ subscribed, 0 failed in ([\d.]+) s \(([\d,]+) connections\/s/, 600_000);
await sleep(1000);
const srvRss1 = rssOf(srvWorker);
// The client's memory before the restart (its last interval), as the server's.
const records = () =>
  readFileSync(json, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const before = records()
  .filter((r) => r.type === 'interval')
  .pop();
const clientRss = before.perProcess.reduce((a, p) => a + p.rssBytes, 0) - before.rssStartBytes;
// The whole server restarted with the same ticket keys: every connection comes back resuming its session.
await server.stop();
const again = await startServer([...serverArgs, '--listen', `127.0.0.1:${server.port}`]);
const resumedSoFar = () => records().reduce((n, r) => n + (r.type === 'interval' ? (r.counters.tlsResumed ?? 0) : 0), 0);
for (let t = 0; t < 6000 && resumedSoFar() < N; t++) await sleep(100);
client.kill('SIGINT');
await client.exited;
await again.stop();
const all = records();
const summary = all.find((r) => r.type === 'summary');
// The handshake rates from the client's own 0.1 s intervals: handshakes over the intervals that saw any.
const rateOf = (key) => {
  const iv = all.filter((r) => r.type === 'interval');
  const first = iv.findIndex((r) => (r.counters[key] ?? 0) > 0);
  const last = iv.findLastIndex((r) => (r.counters[key] ?? 0) > 0);
  const span = iv.slice(first, last + 1);
  return span.reduce((n, r) => n + (r.counters[key] ?? 0), 0) / span.reduce((s, r) => s + r.seconds, 0);
};
const mine = {
  clientRssPerSocket: clientRss / N,
  serverRssPerSocket: (srvRss1 - srvRss0) / N,
  perSec: Number(m[2].replace(/,/g, '')),
  full: summary.counters.tlsFull ?? 0,
  resumed: summary.counters.tlsResumed ?? 0,
  resumedPerSec: rateOf('tlsResumed'),
};

console.error(`tls bench: ${N} connections, one process a side, ${maxVersion} at most`);
figure('bare tls.connect RSS per socket', bare.clientRssPerSocket, 'B');
figure('bare tls.createServer RSS per socket', bare.serverRssPerSocket, 'B');
figure('bare full handshakes', bare.fullPerSec, '/s');
figure('bare resumed handshakes', bare.resumedPerSec, `/s (${bare.reused} of ${N} reused; ${(bare.resumedPerSec / bare.fullPerSec).toFixed(2)}x full)`);
figure(
  'mdbench-client RSS per wss connection',
  mine.clientRssPerSocket,
  `B (${(mine.clientRssPerSocket / bare.clientRssPerSocket).toFixed(2)}x bare tls.connect)`,
);
figure(
  'mdbench-server RSS per wss connection',
  mine.serverRssPerSocket,
  `B (${(mine.serverRssPerSocket / bare.serverRssPerSocket).toFixed(2)}x bare tls server)`,
);
figure(
  'mdbench-client full handshakes + upgrade + subscribe',
  mine.perSec,
  `/s (${(mine.perSec / bare.fullPerSec).toFixed(2)}x bare full handshakes; ${mine.full} full)`,
);
figure(
  'mdbench-client resumed handshakes after a server restart (0.1 s intervals)',
  mine.resumedPerSec,
  `/s (${(mine.resumedPerSec / mine.perSec).toFixed(2)}x its full handshakes, ${(mine.resumedPerSec / bare.resumedPerSec).toFixed(2)}x bare resumed; ${mine.resumed} resumed)`,
);
