#!/usr/bin/env node
// A tiny JSON pub/sub server for the json-protocol plug-in (the server a user would bring): clients
// subscribe to channels; a publish is broadcast to every subscriber of its channel as a "message".
// Usage: node examples/json-protocol/server.mjs [--port 9100] [--host 127.0.0.1]
import { WebSocketServer } from 'ws';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const channels = new Map();
const wss = new WebSocketServer({ host: arg('host', '127.0.0.1'), port: Number(arg('port', '9100')), perMessageDeflate: false });

wss.on('connection', (ws) => {
  const mine = new Set();
  ws.on('error', () => {});
  ws.on('message', (data) => {
    let m;
    try {
      m = JSON.parse(data.toString());
    } catch {
      ws.send(JSON.stringify({ op: 'error', code: 400, text: 'not JSON' }));
      return;
    }
    if (m.op === 'subscribe' && Array.isArray(m.channels)) {
      for (const c of m.channels) {
        if (!channels.has(c)) channels.set(c, new Set());
        channels.get(c).add(ws);
        mine.add(c);
      }
      ws.send(JSON.stringify({ op: 'subscribed', channels: m.channels }));
    } else if (m.op === 'publish') {
      const text = JSON.stringify({ op: 'message', channel: m.channel, stamp: m.stamp, data: m.data });
      for (const sub of channels.get(m.channel) ?? []) sub.send(text);
    }
  });
  ws.on('close', () => {
    for (const c of mine) channels.get(c)?.delete(ws);
  });
});
wss.on('listening', () => console.log(`json server listening on ws://${wss.address().address}:${wss.address().port}/`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => wss.close(() => process.exit(0)));
