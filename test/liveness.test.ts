import net from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto } from '../tools/harness/brokers.mjs';
import { Proc, processTree, signalTree, startServer, summaryOf } from '../tools/harness/processes.mjs';

// A load tester runs unattended against servers that fail: nothing it holds may wait forever.
const dir = mkdtempSync(join(tmpdir(), 'mdbench-liveness-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a server that stops answering after the subscriptions is noticed by its keepalives (keepalive-timeout), and every connection comes back', async () => {
  const server = await startServer(['--workers', '1']);
  const json = join(dir, 'dead.jsonl');
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    '50',
    '--keepalive',
    '1',
    '--handshake-timeout',
    '1',
    '--reconnect-max',
    '0.5',
    '--interval',
    '1',
    '--duration',
    '60',
    '--json',
    json,
  ]);
  await client.waitFor(/Connected: 50 open, 50 subscribed/);
  const pid = server.proc.child.pid as number;
  signalTree(pid, 'SIGSTOP');
  await sleep(4000);
  signalTree(pid, 'SIGCONT');
  await client.waitFor(/Connection errors: [^\n]*keepalive-timeout/, 20_000);
  const noticed = client.stdout.search(/Connection errors: [^\n]*keepalive-timeout/);
  for (let t = 0; t < 200 && !/Connections: 50 open, 50 connected, 50 subscribed/.test(client.stdout.slice(noticed)); t++) await sleep(100);
  client.kill('SIGINT');
  const code = await client.exited;
  assert.ok(code === 0 || code === 1, client.stderr);
  await server.stop();
  const s = summaryOf(json);
  assert.ok((s.errors['keepalive-timeout'] ?? 0) >= 50, JSON.stringify(s.errors));
  assert.equal(s.gauges.subscribed, 50);
});

test('publisher: one of two servers dies and the other keeps getting the full share of its subjects; a server that never answers a reconnect times out (ETIMEDOUT) and is retried', async () => {
  const a = await startServer(['--workers', '1']);
  const b = await startServer(['--workers', '1']);
  const bPort = b.port;
  const json = join(dir, 'pub.jsonl');
  const pub = new Proc('publisher', [
    '-s',
    `127.0.0.1:${a.port},127.0.0.1:${bPort}`,
    '--connections',
    '2',
    '--subjects',
    '/p/s{1..100}/-',
    '--frequency',
    '500',
    '--duration',
    '120',
    '--handshake-timeout',
    '1',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '0.5',
    '--interval',
    '1',
    '--json',
    json,
  ]);
  // Back on the same port, but silent: a listener that accepts and never reads or answers (a frozen
  // server as the kernel shows it; a restarted mdbench-server could answer a reconnect before a SIGSTOP reached it).
  const held = new Set<net.Socket>();
  const silent = net.createServer({ pauseOnConnect: true }, (sock) => held.add(sock));
  let code: number;
  try {
    await pub.waitFor(/Publishing: /);
    await sleep(1500);
    signalTree(b.proc.child.pid as number, 'SIGKILL');
    await b.proc.exited;
    await new Promise<void>((r) => silent.listen(bPort, '127.0.0.1', r));
    // Attempts of 1 s each time out however long the host takes, and are retried: a second one too.
    await pub.waitFor(/ETIMEDOUT|session-timeout/, 30_000);
    const first = pub.stdout.length;
    for (const end = Date.now() + 30_000; !/ETIMEDOUT|session-timeout/.test(pub.stdout.slice(first)); await sleep(50)) {
      assert.ok(Date.now() < end, `no second timeout: ${pub.stdout.slice(-2000)}`);
    }
    pub.kill('SIGINT');
    code = await pub.exited;
  } finally {
    pub.kill('SIGKILL');
    silent.close();
    for (const sock of held) sock.destroy();
    await a.stop();
  }
  const s = summaryOf(json);
  assert.equal(code, 1, pub.stdout);
  // Half the subjects went over the live connection all along: far more than the 1.5 s before the kill.
  assert.ok(s.seconds >= 4 && s.totalSent >= 500 * s.seconds * 0.8, `sent ${s.totalSent} of ${500 * s.seconds} in ${s.seconds} s`);
  assert.match(pub.stdout, /Publisher errors|errors/);
  const errors = JSON.stringify(s.errors ?? {});
  assert.match(errors, /ETIMEDOUT|session-timeout/, errors);
});

test('QoS 1: a broker that stops acknowledging is dropped after --ack-timeout (ack-timeout) and the publisher reconnects', async () => {
  const broker = await startMosquitto();
  try {
    const json = join(dir, 'qos1.jsonl');
    const pub = new Proc('publisher', [
      '-s',
      broker.url,
      '--protocol',
      'mqtt',
      '--qos',
      '1',
      '--window',
      '100',
      '--ack-timeout',
      '1',
      '--handshake-timeout',
      '1',
      '--reconnect-max',
      '0.5',
      '--subjects',
      '/p/s{1..10}/-',
      '--frequency',
      '200',
      '--duration',
      '8',
      '--interval',
      '1',
      '--json',
      json,
    ]);
    await pub.waitFor(/Publishing: /);
    await sleep(1500);
    signalTree(broker.pid as number, 'SIGSTOP');
    await sleep(3000);
    signalTree(broker.pid as number, 'SIGCONT');
    await pub.exited;
    const s = summaryOf(json);
    assert.ok((s.errors?.['ack-timeout'] ?? 0) >= 1, JSON.stringify(s.errors) + pub.stdout);
    assert.match(pub.stdout, /reconnect/i);
  } finally {
    await broker.stop();
  }
});

/** The worker processes of a tool's primary (its direct children). */
function workersOf(pid: number): number[] {
  return processTree(pid).filter((p) => p !== pid);
}

test('a server worker whose event loop stops (SIGSTOP) is named unresponsive within seconds and replaced; clients are served again', async () => {
  const server = await startServer(['--workers', '2', '--interval', '1']);
  const [stuck] = workersOf(server.proc.child.pid as number);
  process.kill(stuck, 'SIGSTOP');
  try {
    const t0 = Date.now();
    await server.proc.waitFor(/worker \d unresponsive for \d+ s/, 20_000);
    assert.ok(Date.now() - t0 < 12_000, `named after ${Date.now() - t0} ms`);
    await server.proc.waitFor(/unresponsive for \d+ s: killing it/, 20_000);
    await server.proc.waitFor(/starting a new one/, 20_000);
    // Both workers serve again: 200 connections spread over them all open.
    const client = new Proc('client', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      '200',
      '--subjects',
      '/p/s{1..10}/-',
      '--interval',
      '1',
      '--duration',
      '0',
    ]);
    await client.waitFor(/Connected: 200 open, 200 subscribed/, 30_000);
    client.kill('SIGINT');
    await client.exited;
  } finally {
    try {
      process.kill(stuck, 'SIGKILL');
    } catch {}
  }
  const t1 = Date.now();
  assert.equal(await server.stop(), 0);
  assert.ok(Date.now() - t1 < 10_000);
});

test('a client worker whose event loop stops is named unresponsive, its connections counted down; SIGINT still ends the run at once with its summary, not ok', async () => {
  const server = await startServer(['--workers', '1']);
  const json = join(dir, 'stuck-client.jsonl');
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    '100',
    '--workers',
    '2',
    '--subjects',
    '/p/s{1..10}/-',
    '--interval',
    '1',
    '--duration',
    '120',
    '--json',
    json,
  ]);
  await client.waitFor(/Connected: 100 open, 100 subscribed/, 30_000);
  const [stuck] = workersOf(client.child.pid as number);
  process.kill(stuck, 'SIGSTOP');
  try {
    await client.waitFor(/worker \d unresponsive for \d+ s/, 20_000);
    await client.waitFor(/its connections are counted as down/, 20_000);
    await client.waitFor(/Connections: 50 open/, 10_000);
    const t0 = Date.now();
    client.kill('SIGINT');
    const code = await client.exited;
    assert.ok(Date.now() - t0 < 10_000, `stopped after ${Date.now() - t0} ms`);
    assert.equal(code, 1, client.stdout);
    assert.match(client.stdout, /Result: .*unresponsive/);
    assert.equal(summaryOf(json).gauges.open, 50);
  } finally {
    try {
      process.kill(stuck, 'SIGKILL');
    } catch {}
    client.kill('SIGKILL');
    await server.stop();
  }
});

test('SIGINT while a client worker is frozen (before it is given up): the run ends within the grace, its summary printed', async () => {
  const server = await startServer(['--workers', '1']);
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    '40',
    '--workers',
    '2',
    '--subjects',
    '/p/s{1..10}/-',
    '--interval',
    '1',
    '--duration',
    '120',
  ]);
  await client.waitFor(/Connected: 40 open, 40 subscribed/, 30_000);
  const [stuck] = workersOf(client.child.pid as number);
  process.kill(stuck, 'SIGSTOP');
  try {
    const t0 = Date.now();
    client.kill('SIGINT');
    await client.exited;
    assert.ok(Date.now() - t0 < 15_000, `stopped after ${Date.now() - t0} ms`);
    assert.match(client.stdout, /Summary: whole run/);
  } finally {
    try {
      process.kill(stuck, 'SIGKILL');
    } catch {}
    await server.stop();
  }
});
