#!/usr/bin/env node
// Why mdbench's WebSocket client and server are its own and not ws: both measured side by side in
// one run, each process with the same V8 flags (--max-semi-space-size=1, as mdbench's workers).
//  - client: N connections opened and held by one process, with mdbench's client connection and
//    with ws's WebSocket, against the same ws server: RSS per connection and the time the opens took;
//  - server: N connections held by mdbench-server (1 worker) and by a ws WebSocketServer, opened by
//    the same mdbench client process: the server process's RSS per connection.
// Prints one figure per line, mdbench's against ws's (the ratio). Usage:
// node tools/bench/vs-ws.mjs [--connections 10000]
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { arg, figure, startServer, track, treeRss } from '../harness/processes.mjs';

const N = Number(arg('connections', '10000'));
const FLAGS = ['--max-semi-space-size=1', '--expose-gc'];
const here = new URL('.', import.meta.url).pathname;

/** A client process of `impl` holding N connections to `port`: what it reported. */
async function clientRun(impl, port) {
  const child = track(fork(`${here}vs-ws-client.mjs`, ['--impl', impl, '--count', String(N), '--port', String(port)], { execArgv: FLAGS }));
  const [m] = await once(child, 'message');
  if (m.open !== N) throw new Error(`${impl} client: ${m.open} of ${N} open, ${m.failed} failed`);
  return { ...m, child };
}

async function close(child) {
  child.send('close');
  await once(child, 'exit');
}

/** The ws server process: its pid and port. */
async function wsServer() {
  const child = track(spawn(process.execPath, [...FLAGS, `${here}vs-ws-server.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const port = await new Promise((resolve) =>
    child.stdout.on('data', (d) => /listening (\d+)/.test(String(d)) && resolve(Number(/listening (\d+)/.exec(String(d))[1]))),
  );
  return { child, port };
}

const settle = () => new Promise((r) => setTimeout(r, 1500));

// --- clients, against one ws server ---
const target = await wsServer();
const client = {};
for (const impl of ['ws', 'mdbench']) {
  const r = await clientRun(impl, target.port);
  client[impl] = { perConn: (r.rss - r.rssStart) / N, seconds: r.seconds };
  await close(r.child);
  await settle();
}
target.child.kill('SIGINT');

// --- servers, the same mdbench client opening the connections ---
const server = {};
{
  const ws = await wsServer();
  await settle();
  const before = treeRss(ws.child.pid);
  const r = await clientRun('mdbench', ws.port);
  await settle();
  server.ws = (treeRss(ws.child.pid) - before) / N;
  await close(r.child);
  ws.child.kill('SIGINT');
}
{
  const md = await startServer(['--workers', '1']);
  await settle();
  const before = treeRss(md.proc.child.pid);
  const r = await clientRun('mdbench', md.port);
  await settle();
  server.mdbench = (treeRss(md.proc.child.pid) - before) / N;
  await close(r.child);
  await md.stop();
}

const ratio = (a, b) => `(${(a / b).toFixed(2)}x ws)`;
figure('connections', N);
figure('client RSS per connection, ws', Math.round(client.ws.perConn), 'B');
figure('client RSS per connection, mdbench', `${Math.round(client.mdbench.perConn)} B ${ratio(client.mdbench.perConn, client.ws.perConn)}`);
figure('client open time, ws', client.ws.seconds, 's');
figure('client open time, mdbench', `${client.mdbench.seconds.toFixed(3)} s ${ratio(client.mdbench.seconds, client.ws.seconds)}`);
figure('server RSS per connection, ws', Math.round(server.ws), 'B');
figure('server RSS per connection, mdbench-server', `${Math.round(server.mdbench)} B ${ratio(server.mdbench, server.ws)}`);
