#!/usr/bin/env node
// A Socket.IO server with mdbench's publish/subscribe convention, the few lines an app adds to be
// load-tested by mdbench (`--protocol socket.io`): a client emits `subscribe` with a subject (or a
// list) and an acknowledgement, and joins a room per subject; `publish` (subject, payload) goes to
// that room as `message` (subject, payload). A payload sent as binary goes on as binary.
//
// Usage: node examples/socketio-server/server.mjs [--port 3000] [--host 127.0.0.1] [--workers N]
//   --workers N: N processes behind one port (node:cluster), joined by @socket.io/cluster-adapter
//   when that package is installed (npm i @socket.io/cluster-adapter @socket.io/sticky): rooms then
//   span the processes.
//   A namespace /private refuses every connection (the tests count the refusal by its reason).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '3000'));

const http = createServer();
// WebSocket only, as mdbench connects; payloads up to 16 MiB.
const io = new Server(http, { transports: ['websocket'], maxHttpBufferSize: 16 * 1024 * 1024, serveClient: false });

io.on('connection', (socket) => {
  socket.on('subscribe', (subjects, ack) => {
    for (const s of [].concat(subjects)) socket.join(String(s));
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('publish', (subject, payload) => {
    io.to(String(subject)).emit('message', subject, payload);
  });
});
io.of('/private').use((_socket, next) => next(new Error('not authorized')));

http.listen(port, host, () => console.log(`socket.io server listening on ws://${host}:${http.address().port}/socket.io/`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => io.close(() => process.exit(0)));
