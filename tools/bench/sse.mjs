#!/usr/bin/env node
// Server-Sent Events, each against its WebSocket baseline measured in the same run:
//  - held: N connections (100,000) from mdbench-client into mdbench-server over 127.0.x.y aliases
//    with explicit successive local ports, once as WebSocket subscribers (the baseline), once as
//    SSE subscribers; RSS per connection of the client's workers and of the server (growth over its
//    size before the clients), each SSE figure with its ratio to the WebSocket one (target <= 1.1);
//  - fan-out: F subscribers (1,000) on one subject, a publisher at R msg/s (500: 500,000
//    deliveries/s), WebSocket then SSE: deliveries/s, every message delivered, p99 (steady state).
// Prints one figure a line. Usage: node tools/bench/sse.mjs [--connections 100000] [--hold 10] [--fanout 1000] [--rate 500] [--seconds 20] [--phases hold,fanout]
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseServerWorkers } from '@mdbench/server';
import { measureClient } from '../harness/latency-phases.mjs';
import { arg, figure, jsonLines, Proc, sleep, startServer, treeRss } from '../harness/processes.mjs';

const N = Number(arg('connections', '100000'));
const holdS = Number(arg('hold', '10'));
const F = Number(arg('fanout', '1000'));
const rate = Number(arg('rate', '500'));
const seconds = Number(arg('seconds', '20'));
const phases = arg('phases', 'hold,fanout').split(',');
const procs = Math.max(2, Math.ceil(N / 19_000));
const serverWorkers = chooseServerWorkers(undefined, N, 20_000, true);
const addrCount = Math.ceil(N / 40000);
const dir = mkdtempSync(join(tmpdir(), 'mdbench-sse-bench-'));
const transportArgs = (t) => (t === 'sse' ? ['--transport', 'sse'] : []);

/** N connections held by one transport: RSS per connection of the client's workers and of the server. */
async function hold(transport) {
  const server = await startServer(['--expect-connections', String(N + 1000), '--workers', String(serverWorkers)], { echo: true });
  const serverPid = server.proc.child.pid;
  await sleep(1000);
  const serverRss0 = treeRss(serverPid);
  const json = join(dir, `hold-${transport}.jsonl`);
  const client = new Proc(
    'client',
    [
      '-s',
      `127.0.0.1:${server.port}`,
      ...transportArgs(transport),
      '--clients',
      String(N),
      '--subjects',
      `/p/s{1..${N}}/-`,
      '--one-to-one',
      '--local-addresses',
      `127.0.${transport === 'sse' ? 5 : 4}.{1..${addrCount}}`,
      '--local-ports',
      '20000-64999',
      '--workers',
      String(procs),
      '--connect-rate',
      '8000',
      '--max-pending',
      '4000',
      '--interval',
      '5',
      '--handshake-timeout',
      '30',
      '--json',
      json,
    ],
    { echo: true },
  );
  const m = await client.waitFor(/Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed in ([\d.,]+) s \(([\d,]+) connections\/s/, 1_800_000);
  await sleep(holdS * 1000);
  const children = readFileSync(`/proc/${client.child.pid}/task/${client.child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  const clientRss = children.reduce((a, c) => a + treeRss(c), 0);
  const serverRss = treeRss(serverPid) - serverRss0;
  const stats = await server.get('/stats');
  client.kill('SIGINT');
  await client.exited;
  await server.stop();
  const summary = jsonLines(readFileSync(json, 'utf8')).find((r) => r.type === 'summary');
  const open = Number(m[1].replace(/,/g, ''));
  await sleep(5000); // the kernel frees the sockets before the next phase
  return {
    open,
    connectRate: Number(m[5].replace(/,/g, '')),
    clientPerConn: (clientRss - summary.rssStartBytes) / open,
    serverPerConn: serverRss / stats.connections,
    serverConns: stats.connections,
  };
}

/** F subscribers of one subject over `transport`, a publisher at `rate` msg/s. */
async function fanout(transport) {
  const server = await startServer(['--workers', '1'], { echo: true });
  let sent = 0;
  const r = await measureClient(
    {
      port: server.port,
      dir,
      name: `fanout-${transport}`,
      seconds,
      coldS: 2,
      clientArgs: [...transportArgs(transport), '--clients', String(F), '--subjects', '/p/s1/-'],
    },
    async () => {
      const pub = new Proc(
        'publisher',
        ['-s', `127.0.0.1:${server.port}`, '--subjects', '/p/s1/-', '--frequency', String(rate), '--duration', String(seconds), '--interval', '5'],
        {
          echo: true,
        },
      );
      await pub.exited;
      sent = Number(/Total messages: ([\d,]+)/.exec(pub.stdout.slice(pub.stdout.lastIndexOf('Summary')))[1].replace(/,/g, ''));
    },
  );
  await server.stop();
  return { ...r, sent };
}

if (phases.includes('hold')) {
  const ws = await hold('websocket');
  const sse = await hold('sse');
  figure('connections_planned', N);
  figure('ws_connections_open', ws.open);
  figure('sse_connections_open', sse.open);
  figure('ws_connect_rate', ws.connectRate, 'conn/s');
  figure('sse_connect_rate', sse.connectRate, 'conn/s');
  figure('sse_connect_rate_ratio', sse.connectRate / ws.connectRate, 'x WebSocket');
  figure('ws_client_rss_per_connection', ws.clientPerConn, 'bytes');
  figure('sse_client_rss_per_connection', sse.clientPerConn, 'bytes');
  figure('sse_client_rss_per_connection_ratio', sse.clientPerConn / ws.clientPerConn, 'x WebSocket (target <= 1.1)');
  figure('ws_server_rss_per_connection', ws.serverPerConn, `bytes (${ws.serverConns} connections)`);
  figure('sse_server_rss_per_connection', sse.serverPerConn, `bytes (${sse.serverConns} connections)`);
  figure('sse_server_rss_per_connection_ratio', sse.serverPerConn / ws.serverPerConn, 'x WebSocket (target <= 1.1)');
}

if (phases.includes('fanout')) {
  const fw = await fanout('websocket');
  const fs = await fanout('sse');
  figure('fanout_subscribers', F);
  figure('fanout_target_deliveries_per_sec', F * rate, 'deliveries/s');
  for (const [name, r] of [
    ['ws', fw],
    ['sse', fs],
  ]) {
    figure(`${name}_fanout_deliveries_per_sec`, r.perSec, 'deliveries/s');
    figure(`${name}_fanout_delivered`, r.messages, `of ${F * r.sent} (${F} x ${r.sent} published)`);
    figure(`${name}_fanout_gaps`, r.gaps);
    figure(`${name}_fanout_latency_p99_steady`, r.steadyMs, 'ms');
    figure(`${name}_fanout_latency_p99_whole`, r.p99Ms, 'ms');
  }
  figure('sse_fanout_latency_p99_steady_ratio', fs.steadyMs / fw.steadyMs, 'x WebSocket');
}
process.exit(0);
