#!/usr/bin/env node
// The receive baseline: N WebSocket connections to a server (upgrade and one SUBSCRIBE each, so
// the server sends), after which the process only reads: it counts bytes and does nothing else, the
// least a Node process can do per delivery. Reports {bytes, loopP99Ms} when asked ('take').
// Usage: fork with --port P --clients N
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FrameType, Opcode, encodeClientFrame, encodeSubjectList } from '@mdbench/core/internal';
import { arg } from '../harness/processes.mjs';

const port = Number(arg('port', '0'));
const n = Number(arg('clients', '1000'));
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let bytes = 0;
let open = 0;
const key = Buffer.from('0123456789abcdef').toString('base64');
for (let i = 0; i < n; i++) {
  const s = net.connect({ host: '127.0.0.1', port, noDelay: true });
  let up = false;
  s.on('error', () => {});
  s.on('connect', () =>
    s.write(
      `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mdbench.v1\r\n\r\n`,
    ),
  );
  s.on('data', (d) => {
    if (!up) {
      up = true;
      open++;
      s.write(encodeClientFrame(Opcode.BINARY, encodeSubjectList(FrameType.SUBSCRIBE, ['/p/s1/-'])));
      if (open === n) process.send({ ready: true });
      return;
    }
    bytes += d.length;
  });
}
process.on('message', (m) => {
  if (m !== 'take') return;
  process.send({ bytes, loopP99Ms: Math.max(0, loop.percentile(99) / 1e6 - 10) });
  bytes = 0;
  loop.reset();
});
