#!/usr/bin/env node
// The baseline of the request round-trip bench: what plain `ws` does on this box. `server PORT`
// echoes every binary message back; `load PORT N RATE SECONDS` opens N ws connections, each sending
// RATE messages/s of 512 bytes (random phase, fixed spacing), and prints the round trips' p50, p99
// and max (ms) and the count as one JSON line.
import { WebSocket, WebSocketServer } from 'ws';

const [mode, portText, nText, rateText, secondsText] = process.argv.slice(2);
const port = Number(portText);

if (mode === 'server') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
  wss.on('listening', () => console.log('listening'));
} else {
  const n = Number(nText);
  const periodMs = 1000 / Number(rateText);
  const rtts = [];
  const payload = Buffer.alloc(512, 0x41);
  let open = 0;
  let measuring = false;
  const socks = [];
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
    ws.on('open', () => {
      if (++open === n) start();
    });
    ws.on('message', (data) => {
      if (measuring) rtts.push(performance.now() - data.readDoubleBE(0));
    });
    ws.on('error', () => {});
    socks.push(ws);
    // Connect at about 5,000/s, as the client's default connect rate.
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 10));
  }
  function start() {
    measuring = true;
    for (const ws of socks) {
      const send = () => {
        const msg = Buffer.from(payload);
        msg.writeDoubleBE(performance.now(), 0);
        ws.send(msg);
      };
      setTimeout(() => {
        send();
        ws.timer = setInterval(send, periodMs);
      }, Math.random() * periodMs);
    }
    setTimeout(() => {
      measuring = false;
      rtts.sort((a, b) => a - b);
      const q = (p) => rtts[Math.min(rtts.length - 1, Math.floor((p / 100) * rtts.length))];
      console.log(JSON.stringify({ count: rtts.length, p50: q(50), p99: q(99), max: rtts[rtts.length - 1] }));
      process.exit(0);
    }, Number(secondsText) * 1000);
  }
}
