#!/usr/bin/env node
// The fan-out baseline: the least a Node process can do to deliver a message to N WebSocket
// subscribers. It accepts upgrades (core's parser), answers SUBSCRIBE with SUBACK, and at --rate
// messages/s builds each native MESSAGE frame once (stamped, as mdbench-publisher would) and
// writes the same bytes to every subscriber, corked per tick. No pub/sub machinery, no hub.
// Usage: node tools/bench/bare-fanout-server.mjs --port P --rate R --size 512 (prints "listening PORT")
import net from 'node:net';
import { FrameType, NATIVE_SUBPROTOCOL, Opcode, decodeSubjectList, encodeMessage, encodeServerFrame, encodeSubjectList, epochUs, parseUpgradeRequest, readFrames } from '@mdbench/core';
import { arg } from '../harness/processes.mjs';

const rate = Number(arg('rate', '500'));
const size = Number(arg('size', '512'));
const subs = new Set();
const payload = Buffer.alloc(size, 0x61);
let seq = 0;

const server = net.createServer({ noDelay: true }, (sock) => {
  let upgraded = false;
  let pending = Buffer.alloc(0);
  sock.on('error', () => sock.destroy());
  sock.on('close', () => subs.delete(sock));
  sock.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    if (!upgraded) {
      const r = parseUpgradeRequest(pending, { subprotocols: [NATIVE_SUBPROTOCOL] });
      if (!r) return;
      if (!r.ok) return sock.destroy();
      sock.write(r.response);
      upgraded = true;
      pending = pending.subarray(r.headBytes);
    }
    const used = readFrames(pending, 0, pending.length, 1 << 20, true, {
      onFrame: (_fin, op, p) => {
        if (op !== Opcode.BINARY || p[0] !== FrameType.SUBSCRIBE) return;
        sock.write(encodeServerFrame(Opcode.BINARY, encodeSubjectList(FrameType.SUBACK, decodeSubjectList(p))));
        subs.add(sock);
      },
    });
    pending = pending.subarray(used);
  });
});

// A schedule like mdbench-publisher's: message k due at start + k / rate; each tick sends what is due.
let start = 0;
function tick() {
  const now = epochUs();
  if (start === 0) start = now;
  const due = Math.floor(((now - start) * rate) / 1e6) + 1;
  const list = [...subs];
  for (const s of list) s.cork();
  while (seq < due) {
    const scheduledUs = Math.round(start + (seq * 1e6) / rate);
    const frame = encodeServerFrame(Opcode.BINARY, encodeMessage({ subject: '/p/s1/-', publisherId: 1, seq: seq + 1, scheduledUs, sentUs: now }, payload));
    for (const s of list) s.write(frame);
    seq++;
  }
  for (const s of list) s.uncork();
  setTimeout(tick, 1);
}
process.on('message', (m) => {
  if (m === 'start') tick();
});
server.listen(Number(arg('port', '0')), '127.0.0.1', () => {
  const port = server.address().port;
  console.log(`listening ${port}`);
  process.send?.({ port });
});
