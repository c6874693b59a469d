// One process of the bare net.connect baseline: opens its slice of connections with explicit local
// address and successive ports, holds them, reports to the parent, closes on request.
import net from 'node:net';
import { readFileSync } from 'node:fs';

const { host, port, addresses, portFrom, from, count, rate } = JSON.parse(process.env.BASELINE);
const rss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const rssStart = rss();
const sockets = [];
let open = 0;
let failed = 0;
const errors = {};
const t0 = performance.now();
let next = 0;
const A = addresses.length;
const openOne = (i) => {
  const s = net.connect({ host, port, localAddress: addresses[i % A], localPort: portFrom + Math.floor(i / A), noDelay: true });
  s.on('connect', () => open++);
  s.on('error', (e) => {
    failed++;
    errors[e.code] = (errors[e.code] ?? 0) + 1;
  });
  sockets.push(s);
};
const timer = setInterval(() => {
  const allowed = Math.min(count, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
  while (next < allowed && next - open - failed < 2000) openOne(from + next++);
  if (open + failed >= count) {
    clearInterval(timer);
    process.send({ type: 'done', open, failed, errors, seconds: (performance.now() - t0) / 1000, rssStart, rss: rss() });
  }
}, 5);
process.on('message', (m) => {
  if (m === 'rss') process.send({ type: 'rss', rss: rss() });
  if (m === 'close') {
    for (const s of sockets) s.destroy();
    setTimeout(() => process.exit(0), 100);
  }
});
