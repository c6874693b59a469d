// One process of the vs-ws bench: opens --count WebSocket connections to 127.0.0.1:--port with
// mdbench's client connection (--impl mdbench) or ws's WebSocket (--impl ws), at most 500
// upgrades in flight, holds them, and reports its RSS before and after and the time the opens
// took; closes on request.
import { readFileSync } from 'node:fs';
import { NATIVE_SUBPROTOCOL, WsClientConnection } from '@mdbench/core/worker';
import WebSocket from 'ws';
import { arg } from '../harness/processes.mjs';

const impl = arg('impl', 'mdbench');
const count = Number(arg('count', '10000'));
const port = Number(arg('port', '0'));
const rss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
};
await settle();
const rssStart = rss();
let open = 0;
let failed = 0;
let started = 0;
const held = [];
const t0 = performance.now();
const done = () => open + failed >= count;
const ctx = {
  readBuffer: Buffer.allocUnsafe(64 * 1024),
  maxPayload: 1 << 20,
  mask: 'random',
  path: '/',
  subprotocol: NATIVE_SUBPROTOCOL,
  events: {
    onOpen: () => open++,
    onMessage: () => {},
    onClose: (_c, _cause, _detail, phase) => {
      if (phase !== null) failed++;
    },
  },
};
const openOne = () => {
  started++;
  if (impl === 'ws') {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, [NATIVE_SUBPROTOCOL], { perMessageDeflate: false });
    ws.on('open', () => open++);
    ws.on('error', () => failed++);
    held.push(ws);
  } else {
    const c = new WsClientConnection(ctx);
    c.open({ host: '127.0.0.1', port }, performance.now());
    held.push(c);
  }
};
await new Promise((resolve) => {
  const timer = setInterval(() => {
    while (started < count && started - open - failed < 500) openOne();
    if (done()) {
      clearInterval(timer);
      resolve();
    }
  }, 1);
});
const seconds = (performance.now() - t0) / 1000;
await settle();
process.send({ type: 'done', open, failed, seconds, rssStart, rss: rss() });
process.on('message', (m) => {
  if (m === 'close') process.exit(0);
});
