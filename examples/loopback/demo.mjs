#!/usr/bin/env node
// The loopback demo: the reference server, 4,000 subscribers over 127.0.0.2-127.0.0.5 with explicit
// local ports, and a publisher at 1,000 messages/s, for about 30 s. The client's statistics blocks go
// to stdout; the server's and publisher's logs are kept in a temporary folder and summarised at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const root = new URL('../..', import.meta.url).pathname;
const here = join(root, 'examples', 'loopback');
const bin = (name) => join(root, 'packages', name, 'bin', `mdbench-${name}.js`);
const logs = mkdtempSync(join(tmpdir(), 'mdbench-demo-'));
const seconds = Number(process.env.DEMO_SECONDS ?? 30);

function start(name, args, onLine) {
  const child = spawn(process.execPath, [bin(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(logs, `${name}.log`));
  let buf = '';
  child.stdout.on('data', (d) => {
    log.write(d);
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine?.(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  child.stderr.on('data', (d) => process.stderr.write(`[${name}] ${d}`));
  return child;
}

const server = start('server', ['-c', join(here, 'server.conf'), '--listen', '127.0.0.1:0', '--duration', String(seconds + 15)]);
const [port] = await new Promise((resolve, reject) => {
  server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  let buf = '';
  server.stdout.on('data', (d) => {
    const m = /Listening: [\d.]+:(\d+)/.exec((buf += d));
    if (m) resolve([Number(m[1])]);
  });
});
console.log(`demo: server on 127.0.0.1:${port}; logs in ${logs}`);

let publisher;
const client = start('client', ['-c', join(here, 'client.conf'), '--server-addresses', `127.0.0.1:${port}`, '--duration', String(seconds)], (line) => {
  console.log(line);
  if (!publisher && line.includes('[INFO] Connected:')) {
    publisher = start('publisher', [
      '-c',
      join(here, 'publisher.conf'),
      '--server-addresses',
      `127.0.0.1:${port}`,
      '--duration',
      String(Math.max(5, seconds - 6)),
    ]);
  }
});
const [clientCode] = await once(client, 'exit');
if (publisher && publisher.exitCode === null) await once(publisher, 'exit');
server.kill('SIGINT');
await once(server, 'exit');
const tail = (name, n) =>
  readFileSync(join(logs, `${name}.log`), 'utf8')
    .trim()
    .split('\n')
    .slice(-n)
    .join('\n');
if (publisher) console.log(`\n--- publisher summary ---\n${tail('publisher', 9)}`);
console.log(`\n--- server summary ---\n${tail('server', 9)}`);
process.exit(clientCode ?? 1);
