#!/usr/bin/env node
// The delivery baseline: the least a Node process can do to deliver messages to WebSocket
// subscribers. It accepts upgrades (core's parser), answers SUBSCRIBE with SUBACK, and at --rate
// messages/s builds each native MESSAGE frame once (stamped, as mdbench-publisher would) and writes
// the same bytes to every subscriber of its subject, corked per tick. No pub/sub machinery, no hub.
// Fan-out (default): every subscriber gets every message (subject /p/s1/-). --one-to-one: message k
// goes to subscriber k mod N only, on that subscriber's own subject. The rate can change while it
// runs: the parent sends {rate}.
// Usage: fork with --rate R [--size 512] [--one-to-one]; it sends {port} and starts on 'start'.
import net from 'node:net';
import {
  FrameType,
  NATIVE_SUBPROTOCOL,
  Opcode,
  decodeSubjectList,
  encodeMessage,
  encodeServerFrame,
  encodeSubjectList,
  epochUs,
  parseUpgradeRequest,
  readFrames,
} from '@mdbench/core/internal';
import { arg } from '../harness/processes.mjs';

let rate = Number(arg('rate', '500'));
const size = Number(arg('size', '512'));
const oneToOne = process.argv.includes('--one-to-one');
const subs = new Set();
/** Subscribers in the order they subscribed, with their subject (one-to-one). */
const ordered = [];
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
        const subjects = decodeSubjectList(p);
        sock.write(encodeServerFrame(Opcode.BINARY, encodeSubjectList(FrameType.SUBACK, subjects)));
        subs.add(sock);
        ordered.push({ sock, subject: subjects[0] });
      },
    });
    pending = pending.subarray(used);
  });
});

// A schedule like mdbench-publisher's: message k due at start + k / rate; each tick sends what is due.
let start = 0;
let base = 0;
const perSubject = new Map();
function tick() {
  const now = epochUs();
  if (start === 0) start = now;
  const due = base + Math.floor(((now - start) * rate) / 1e6) + 1;
  // Fan-out corks every subscriber for the tick; one-to-one only those it writes to in the tick.
  const list = oneToOne ? [] : [...subs];
  for (const s of list) s.cork();
  while (seq < due) {
    const scheduledUs = Math.round(start + ((seq - base) * 1e6) / rate);
    if (oneToOne) {
      const to = ordered[seq % ordered.length];
      const n = (perSubject.get(to.subject) ?? 0) + 1;
      perSubject.set(to.subject, n);
      if (to.sock.writableCorked === 0) {
        to.sock.cork();
        list.push(to.sock);
      }
      if (!to.sock.destroyed)
        to.sock.write(encodeServerFrame(Opcode.BINARY, encodeMessage({ subject: to.subject, publisherId: 1, seq: n, scheduledUs, sentUs: now }, payload)));
    } else {
      const frame = encodeServerFrame(Opcode.BINARY, encodeMessage({ subject: '/p/s1/-', publisherId: 1, seq: seq + 1, scheduledUs, sentUs: now }, payload));
      for (const s of list) s.write(frame);
    }
    seq++;
  }
  for (const s of list) s.uncork();
  setTimeout(tick, 1);
}
process.on('message', (m) => {
  if (m === 'start') tick();
  else if (m && typeof m.rate === 'number') {
    // A new rate from now on: the schedule restarts at the current message.
    base = seq;
    start = epochUs();
    rate = m.rate;
  }
});
server.listen(Number(arg('port', '0')), '127.0.0.1', () => {
  const port = server.address().port;
  console.log(`listening ${port}`);
  process.send?.({ port });
});
