import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, jsonLines, startServer, type Server } from '../tools/harness/processes.mjs';
import { freePort, recordOutcome, signalTree } from './helpers/faults.js';

const dir = mkdtempSync(join(tmpdir(), 'mdbench-faults-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const summaryOf = (file: string) => jsonLines(readFileSync(file, 'utf8')).find((r) => r.type === 'summary')!;

async function startServerOn(port: number, extra: string[] = []): Promise<Server> {
  return startServer(['--listen', `127.0.0.1:${port}`, '--workers', '2', ...extra]);
}

test('the server is killed for 5 s: all 2,000 clients reconnect and re-subscribe; received + gaps = published x subscribers', async () => {
  const port = await freePort();
  let server = await startServerOn(port);
  const json = join(dir, 'kill.jsonl');
  const pubJson = join(dir, 'kill-pub.jsonl');
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${port}`,
    '--clients',
    '2000',
    '--subjects',
    '/p/s{1..1}/-',
    '--local-addresses',
    '127.0.0.{2..3}',
    '--local-ports',
    '25000-26999',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '1',
    '--interval',
    '2',
    '--duration',
    '120',
    '--json',
    json,
  ]);
  await client.waitFor(/Connected: 2,000 open, 2,000 subscribed/);
  const pub = new Proc('publisher', [
    '-s',
    `127.0.0.1:${port}`,
    '--subjects',
    '/p/s{1..1}/-',
    '--frequency',
    '10',
    '--messages',
    '200',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '1',
    '--interval',
    '2',
    '--json',
    pubJson,
  ]);
  await sleep(5000);
  signalTree(server.proc.child.pid as number, 'SIGKILL');
  await server.proc.exited;
  await sleep(5000);
  server = await startServerOn(port);
  const pubCode = await pub.exited;
  await sleep(3000);
  client.kill('SIGINT');
  await client.exited;
  await server.stop();

  const s = summaryOf(json);
  const published = summaryOf(pubJson).totalSent;
  assert.equal(published, 200);
  assert.equal(pubCode, 1, 'the publisher names its lost connection');
  assert.match(pub.stdout, /Reconnected: after/);
  assert.equal(s.gauges.open, 2000);
  assert.equal(s.gauges.subscribed, 2000);
  assert.ok(s.counters.reconnects >= 2000, `reconnects ${s.counters.reconnects}`);
  assert.ok(s.counters.disconnects >= 2000);
  assert.ok(s.counters.downMs > 0);
  assert.match(client.stdout, /Summary: whole run/);
  const accounted = s.counters.messages + (s.counters.gaps ?? 0);
  recordOutcome({
    fault: 'server killed (SIGKILL) for 5 s, restarted on the same port; 2,000 clients, 1 publisher',
    expected: 'every client reconnects and re-subscribes; messages lost in the outage appear as gaps',
    observed: { reconnects: s.counters.reconnects, published, received: s.counters.messages, gaps: s.counters.gaps ?? 0, open: s.gauges.open },
    unaccounted: 2000 * published - accounted,
  });
  assert.equal(accounted, 2000 * published, `received ${s.counters.messages} + gaps ${s.counters.gaps} vs ${2000 * published}`);
});

test('the server is paused (SIGSTOP) longer than the handshake timeout during the ramp: timed-out handshakes are retried', async () => {
  const server = await startServer(['--workers', '1']);
  const json = join(dir, 'pause.jsonl');
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    '400',
    '--subjects',
    '/p/s{1..400}/-',
    '--one-to-one',
    '--connect-rate',
    '100',
    '--handshake-timeout',
    '1',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '0.5',
    '--interval',
    '1',
    '--duration',
    '60',
    '--json',
    json,
  ]);
  await sleep(1500);
  signalTree(server.proc.child.pid as number, 'SIGSTOP');
  await sleep(3000);
  signalTree(server.proc.child.pid as number, 'SIGCONT');
  await client.waitFor(/Connected: 400 open, 400 subscribed/, 60_000);
  client.kill('SIGINT');
  const code = await client.exited;
  await server.stop();
  const s = summaryOf(json);
  recordOutcome({
    fault: 'server paused (SIGSTOP) 3 s during a 400-connection ramp, handshake timeout 1 s',
    expected: 'handshakes time out (ETIMEDOUT), are retried, and all connections open after SIGCONT',
    observed: { ETIMEDOUT: s.errors.ETIMEDOUT ?? 0, open: s.gauges.open, subscribed: s.gauges.subscribed },
    unaccounted: 400 - s.gauges.open,
  });
  assert.equal(code, 0, client.stdout);
  assert.ok((s.errors.ETIMEDOUT ?? 0) > 0, `timeouts ${JSON.stringify(s.errors)}`);
  assert.equal(s.gauges.open, 400);
});

test('2,000 handshakes timed out from explicit ports: every slot connects again at once from the same address and port (no EADDRNOTAVAIL)', async () => {
  // A server that accepts and never answers the upgrade: every handshake times out, and the client
  // gives its slot up. Then the real server takes the port: each slot reconnects from its own
  // address and port to the same server, which a TIME_WAIT left by the client's FIN would refuse.
  // The planned ports lie below the ephemeral range: the server's own (ephemeral) port is left out
  // of the plan, and inside the range it made 2,000 ports cover 1,999 connections now and then.
  const port = await freePort();
  const held = new Set<import('node:net').Socket>();
  let accepted = 0;
  const silent = (await import('node:net')).createServer((s) => {
    held.add(s);
    s.on('error', () => {});
    s.on('close', () => held.delete(s));
    // The client's probe (from 127.0.0.1) is answered, so the run starts; the planned slots are not.
    if (s.remoteAddress !== '127.0.0.1') return void accepted++;
    s.once('data', (head) => {
      const key = /sec-websocket-key: *(\S+)/i.exec(head.toString())?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      s.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    });
  });
  await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
  const json = join(dir, 'time-wait.jsonl');
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${port}`,
    '--clients',
    '2000',
    '--subjects',
    '/p/s{1..2000}/-',
    '--one-to-one',
    '--local-addresses',
    '127.0.4.1',
    '--local-ports',
    '30000-31999',
    '--connect-rate',
    '4000',
    '--handshake-timeout',
    '1',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '0.5',
    '--interval',
    '1',
    '--duration',
    '300',
    '--json',
    json,
  ]);
  try {
    // Every slot has tried, and as many handshakes have timed out as there are slots (the retries
    // go oldest first): on a loaded host the client's in-flight window, halved by the timeouts,
    // let only 33 attempts a second through, so a count of accepts is not waited for.
    const timeouts = () => Number(([...client.stdout.slice(-8000).matchAll(/Connection errors: .*ETIMEDOUT ([\d,]+)/g)].at(-1)?.[1] ?? '0').replace(/,/g, ''));
    for (let i = 0; accepted < 2000 || timeouts() < 2000; i++) {
      assert.ok(i < 2400, `only ${accepted} accepts and ${timeouts()} timeouts in 240 s: ${client.stderr.slice(-2000)}`);
      await sleep(100);
    }
    // Stop accepting, then end what is held: close() calls back only once every connection is gone.
    const closed = new Promise<void>((r) => silent.close(() => r()));
    for (const s of held) s.destroy();
    await closed;
    const server = await startServerOn(port);
    await client.waitFor(/Connected: 2,000 open, 2,000 subscribed/, 60_000);
    client.kill('SIGINT');
    await client.exited;
    await server.stop();
    const s = summaryOf(json);
    assert.ok((s.errors.ETIMEDOUT ?? 0) >= 2000, `timeouts ${JSON.stringify(s.errors)}`);
    assert.equal(s.errors.EADDRNOTAVAIL ?? 0, 0, `errors ${JSON.stringify(s.errors)}`);
    assert.equal(s.gauges.open, 2000);
  } finally {
    client.kill('SIGKILL');
    silent.close();
  }
});
