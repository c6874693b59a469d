// The bare Node TLS baseline of the TLS benches: `n` bare tls.connect sockets (one process) into a
// bare tls.createServer (another), full handshakes, then the same sockets resuming their sessions
// (tools/bench/bare-tls.mjs). Returns RSS per socket of each side and both handshake rates.
import { fork, spawn } from 'node:child_process';
import { rssOf, sleep, track } from './processes.mjs';

const bareJs = new URL('../bench/bare-tls.mjs', import.meta.url).pathname;

export async function measureBareTls({ certs, n, concurrency = 200, maxVersion = 'TLSv1.3' }) {
  const server = track(fork(bareJs, ['server', certs.cert, certs.key], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
  const port = await new Promise((resolve) => server.stdout.on('data', (d) => /listening (\d+)/.test(d) && resolve(Number(/listening (\d+)/.exec(d)[1]))));
  await sleep(300);
  const rss0 = rssOf(server.pid);
  let rssMax = rss0;
  const watch = setInterval(() => (rssMax = Math.max(rssMax, rssOf(server.pid))), 100);
  const client = track(
    spawn(process.execPath, [bareJs, 'client', String(port), certs.ca, String(n), String(concurrency), maxVersion], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  let out = '';
  client.stdout.on('data', (d) => (out += d));
  await new Promise((r) => client.once('exit', r));
  clearInterval(watch);
  server.kill('SIGKILL');
  const bare = JSON.parse(out);
  return { ...bare, serverRssPerSocket: (rssMax - rss0) / n };
}
