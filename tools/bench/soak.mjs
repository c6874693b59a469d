#!/usr/bin/env node
// Soak: --minutes (10) of steady load on loopback - the reference server (2 workers),
// 2,000 subscribers, a publisher at --rate (2,000) msg/s - then RSS and V8 heap of every process at
// the start (after a 30 s settle) and at the end, one figure per line, to show whether anything leaks.
// Usage: node tools/bench/soak.mjs [--minutes 10] [--rate 2000]
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, figure, jsonLines, sleep, Proc, startServer } from '../harness/processes.mjs';

const minutes = Number(arg('minutes', '10'));
const rate = Number(arg('rate', '2000'));
const dir = mkdtempSync(join(tmpdir(), 'mdbench-soak-'));
const settleS = 30;
const totalS = minutes * 60;

const server = await startServer(['--workers', '2']);
const cj = join(dir, 'client.jsonl');
const pj = join(dir, 'publisher.jsonl');
const client = new Proc(
  'client',
  [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    '2000',
    '--subjects',
    '/p/s{1..2000}/-',
    '--one-to-one',
    '--local-addresses',
    '127.0.0.{2..3}',
    '--local-ports',
    '27000-28999',
    '--workers',
    '2',
    '--interval',
    String(settleS),
    '--duration',
    String(totalS + 20),
    '--json',
    cj,
  ],
  { echo: true },
);
await client.waitFor(/Connected: 2,000 open/);
const pub = new Proc(
  'publisher',
  [
    '-s',
    `127.0.0.1:${server.port}`,
    '--subjects',
    '/p/s{1..2000}/-',
    '--frequency',
    String(rate),
    '--duration',
    String(totalS),
    '--interval',
    String(settleS),
    '--json',
    pj,
  ],
  { echo: true },
);

const mb = (b) => b / 1048576;
const serverMem = async () => (await server.get('/stats')).perWorker;
await sleep(settleS * 1000 + 2000);
const s0 = await serverMem();
const c0 = jsonLines(readFileSync(cj, 'utf8')).filter((r) => r.type === 'interval')[0];
const p0 = jsonLines(readFileSync(pj, 'utf8')).filter((r) => r.type === 'interval')[0];
await pub.exited;
const s1 = await serverMem();
await sleep(3000);
client.child.kill('SIGINT');
await client.exited;
await server.stop();
const cr = jsonLines(readFileSync(cj, 'utf8'));
const c1 = cr.filter((r) => r.type === 'interval').at(-1);
const csum = cr.find((r) => r.type === 'summary');
const pr = jsonLines(readFileSync(pj, 'utf8'));
const p1 = pr.filter((r) => r.type === 'interval').at(-1);

figure('soak_minutes', minutes);
figure('soak_rate', rate, 'msg/s');
for (const [i, w] of s0.entries()) {
  figure(`server_worker_${w.id}_rss_start`, mb(w.rssBytes), 'MiB');
  figure(`server_worker_${w.id}_rss_end`, mb(s1[i].rssBytes), 'MiB');
  figure(`server_worker_${w.id}_heap_start`, mb(w.heapUsedBytes), 'MiB');
  figure(`server_worker_${w.id}_heap_end`, mb(s1[i].heapUsedBytes), 'MiB');
}
for (const w of c0.perProcess) {
  const end = c1.perProcess.find((x) => x.worker === w.worker);
  figure(`client_worker_${w.worker}_rss_start`, mb(w.rssBytes), 'MiB');
  figure(`client_worker_${w.worker}_rss_end`, mb(end.rssBytes), 'MiB');
  figure(`client_worker_${w.worker}_heap_start`, mb(w.heapUsedBytes), 'MiB');
  figure(`client_worker_${w.worker}_heap_end`, mb(end.heapUsedBytes), 'MiB');
}
figure('publisher_rss_start', mb(p0.rssBytes), 'MiB');
figure('publisher_rss_end', mb(p1.rssBytes), 'MiB');
figure('publisher_heap_start', mb(p0.heapUsedBytes), 'MiB');
figure('publisher_heap_end', mb(p1.heapUsedBytes), 'MiB');
figure('messages_published', pr.find((r) => r.type === 'summary').totalSent);
figure('messages_received', csum.counters.messages);
figure('messages_lost', csum.counters.gaps ?? 0);
