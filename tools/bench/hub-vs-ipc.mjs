#!/usr/bin/env node
// How the server's worker mesh moves a published message between processes: the binary hub
// (length-prefixed frames, batched per event-loop turn, over a Unix socket) against Node's IPC
// channel with one JSON message per publish (the obvious alternative). One figure per line.
// Usage: node tools/bench/hub-vs-ipc.mjs [--messages 300000]
import { fork } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { encodeMessage } from '@mdbench/core/internal';
import { HubBatcher, HubKind, HubReader, encodeHub } from '@mdbench/server';
import { arg, figure } from '../harness/processes.mjs';

const N = Number(arg('messages', '300000'));
const frame = encodeMessage({ subject: '/p/s123/-', publisherId: 1, seq: 1, scheduledUs: 1.7e15, sentUs: 1.7e15 }, Buffer.alloc(512, 'x'));

if (process.argv[2] === 'child-ipc') {
  let n = 0;
  process.on('message', (m) => {
    Buffer.from(m.frame, 'base64');
    if (++n === N) process.send('done');
  });
} else if (process.argv[2] === 'child-hub') {
  let n = 0;
  const sock = net.connect(process.argv[3]);
  const reader = new HubReader((kind) => {
    if (kind === HubKind.PUBLISH && ++n === N) process.send('done');
  });
  sock.on('data', (d) => reader.push(d));
} else {
  // JSON over IPC, one message per publish, with flow control on the channel.
  const ipc = fork(new URL(import.meta.url).pathname, ['child-ipc', '--messages', String(N)]);
  let t = performance.now();
  const done = once(ipc, 'message');
  for (let i = 0; i < N; i++) {
    if (!ipc.send({ type: 'publish', frame: frame.toString('base64') })) await new Promise((r) => setImmediate(r));
  }
  await done;
  const ipcRate = N / ((performance.now() - t) / 1000);
  ipc.kill();

  const sockPath = path.join(os.tmpdir(), `mdbench-hub-bench-${process.pid}.sock`);
  const server = net.createServer();
  server.listen(sockPath);
  await once(server, 'listening');
  const hub = fork(new URL(import.meta.url).pathname, ['child-hub', sockPath, '--messages', String(N)]);
  const [sock] = await once(server, 'connection');
  const out = new HubBatcher((data) => sock.write(data));
  t = performance.now();
  const hubDone = once(hub, 'message');
  for (let i = 0; i < N; i++) {
    out.push(encodeHub(HubKind.PUBLISH, frame));
    if (i % 1024 === 1023) {
      out.flush();
      if (sock.writableLength > 4 << 20) await once(sock, 'drain');
      else await new Promise((r) => setImmediate(r));
    }
  }
  out.flush();
  await hubDone;
  const hubRate = N / ((performance.now() - t) / 1000);
  hub.kill();
  server.close();
  figure('frame_bytes', frame.length);
  figure('json_ipc_rate', ipcRate, 'msg/s');
  figure('binary_hub_rate', hubRate, 'msg/s');
  figure('binary_hub_ratio', hubRate / ipcRate, 'x json ipc');
}
