#!/usr/bin/env node
// A Socket.IO server with mdbench's publish/subscribe convention, the few lines an app adds to be
// load-tested by mdbench (`--protocol socket.io`): a client emits `subscribe` with a subject (or a
// list) and an acknowledgement, and joins a room per subject; `publish` (subject, payload) goes to
// that room as `message` (subject, payload). A payload sent as binary goes on as binary. `request`
// (subject, payload) with an acknowledgement is answered by the acknowledgement (the payload echoed).
//
// Usage: node examples/socketio-server/server.mjs [--port 3000] [--host 127.0.0.1] [--workers N]
//   --workers N: N processes sharing the port (node:cluster; WebSocket only, so no sticky
//   sessions are needed), joined by @socket.io/cluster-adapter so that a room spans them.
//   A namespace /private refuses every connection (the tests count the refusal by its reason).
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { createAdapter, setupPrimary } from '@socket.io/cluster-adapter';
import { Server } from 'socket.io';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '3000'));
const workers = Number(arg('workers', '1'));

if (workers > 1 && cluster.isPrimary) {
  // Structured clone between the processes, so a binary payload stays binary (JSON would turn it
  // into {"type":"Buffer","data":[...]}).
  cluster.setupPrimary({ serialization: 'advanced' });
  setupPrimary();
  let listening = 0;
  for (let k = 0; k < workers; k++) {
    cluster.fork().on('listening', () => {
      if (++listening === workers) console.log(`socket.io server listening on ws://${host}:${port}/socket.io/ (${workers} processes)`);
    });
  }
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
} else {
  const http = createServer();
  // WebSocket only, as mdbench connects; payloads up to 16 MiB.
  const io = new Server(http, {
    transports: ['websocket'],
    maxHttpBufferSize: 16 * 1024 * 1024,
    serveClient: false,
    ...(workers > 1 ? { adapter: createAdapter() } : {}),
  });
  io.on('connection', (socket) => {
    socket.on('subscribe', (subjects, ack) => {
      for (const s of [].concat(subjects)) socket.join(String(s));
      if (typeof ack === 'function') ack({ ok: true });
    });
    socket.on('publish', (subject, payload) => {
      io.to(String(subject)).emit('message', subject, payload);
    });
    // A request (mdbench-client --request-rate): the acknowledgement is the reply, the payload echoed.
    socket.on('request', (_subject, payload, ack) => {
      if (typeof ack === 'function') ack(payload);
    });
  });
  io.of('/private').use((_socket, next) => next(new Error('not authorized')));
  http.listen(port, host, () => {
    if (workers === 1) console.log(`socket.io server listening on ws://${host}:${http.address().port}/socket.io/`);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => io.close(() => process.exit(0)));
}
