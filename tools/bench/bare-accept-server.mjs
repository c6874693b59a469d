#!/usr/bin/env node
// The server-side memory baseline: worker processes sharing one listening socket (as mdbench-server's
// do), each accepting and holding sockets and doing nothing else, with the same V8 semi-space as
// mdbench-server's workers. Prints "listening PORT" when every worker listens.
// Usage: node tools/bench/bare-accept-server.mjs --workers W [--port 0] [--semi-space-mb 1] [--max-sockets 19600]
import cluster from 'node:cluster';
import net from 'node:net';
import { arg } from '../harness/processes.mjs';

if (cluster.isPrimary) {
  const workers = Number(arg('workers', '2'));
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // The same V8 flags as mdbench-server's workers, so the memory comparison is like for like.
  cluster.setupPrimary({ execArgv: [`--max-semi-space-size=${arg('semi-space-mb', '1')}`] });
  // Every worker listens on the same configured port (0 included: the cluster keys the shared socket by it).
  const port = arg('port', '0');
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork({ BARE_PORT: port }).on('message', (m) => {
      if (m.port && ++listening === workers) console.log(`listening ${m.port}`);
    });
  }
  process.on('SIGINT', () => process.exit(0));
} else {
  const held = new Set();
  // Full, a worker stops accepting (as mdbench-server's do) so the other workers take the rest
  // instead of this one's accept failing with EMFILE and resetting the connection.
  const MAX = Number(arg('max-sockets', '19600'));
  const server = net.createServer((s) => {
    held.add(s);
    if (held.size === MAX) server.close();
    s.on('error', () => {});
    s.on('close', () => held.delete(s));
  });
  server.listen({ host: '127.0.0.1', port: Number(process.env.BARE_PORT), backlog: 65535 }, () => process.send({ port: server.address().port }));
}
