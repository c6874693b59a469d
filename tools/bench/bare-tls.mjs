#!/usr/bin/env node
// The bare Node TLS baseline of tools/bench/tls-connections.mjs, one role per process:
//   server CERT KEY: a tls.createServer that accepts and holds every socket; prints "listening PORT".
//   client PORT CA N CONCURRENCY [MAX_VERSION]: N tls.connect sockets held open (full handshakes), then closed and
//   opened again resuming their sessions; prints JSON figures.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

const [role, a, b, c, d, e] = process.argv.slice(2);
if (role === 'server') {
  const held = [];
  const server = tls.createServer({ cert: readFileSync(a), key: readFileSync(b) }, (s) => {
    held.push(s);
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
  process.on('message', (m) => m === 'rss' && process.send(process.memoryUsage().rss));
} else {
  const port = Number(a);
  const ca = readFileSync(b);
  const n = Number(c);
  const concurrency = Number(d);
  const context = tls.createSecureContext({ ca, maxVersion: e || 'TLSv1.3' });
  const open = (sessions) =>
    new Promise((resolve) => {
      const socks = new Array(n);
      let started = 0;
      let done = 0;
      const t0 = performance.now();
      const next = () => {
        if (started >= n) return;
        const k = started++;
        const s = tls.connect({ host: '127.0.0.1', port, secureContext: context, servername: 'localhost', session: sessions?.[k] });
        s.on('session', (x) => (s.lastSession = x));
        s.on('error', () => {});
        s.once('secureConnect', () => {
          socks[k] = s;
          if (++done === n) resolve({ socks, ms: performance.now() - t0 });
          else next();
        });
      };
      for (let i = 0; i < concurrency; i++) next();
    });
  const rss0 = process.memoryUsage().rss;
  const full = await open(null);
  await new Promise((r) => setTimeout(r, 500));
  const rss1 = process.memoryUsage().rss;
  const sessions = full.socks.map((s) => s.lastSession);
  for (const s of full.socks) s.destroy();
  await new Promise((r) => setTimeout(r, 500));
  const resumed = await open(sessions);
  const reused = resumed.socks.filter((s) => s.isSessionReused()).length;
  console.log(JSON.stringify({ clientRssPerSocket: (rss1 - rss0) / n, fullPerSec: (n * 1000) / full.ms, resumedPerSec: (n * 1000) / resumed.ms, reused }));
  for (const s of resumed.socks) s.destroy();
  process.exit(0);
}
