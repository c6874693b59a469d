import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newStamp, writeStamp } from '../packages/core/src/protocol/stamp.js';
import { Proc, jsonLines, run, sleep, startServer, summaryOf } from '../tools/harness/processes.mjs';
import { makeCerts } from './helpers/certs.js';

// Event-stream servers that misbehave, as mdbench-client must survive them (each a few lines of
// net.Server on loopback), and an event stream that comes back: resumed from Last-Event-ID by
// mdbench-server, nothing missed.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-sse-peers-'));
const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n';

/** A server whose every connection gets `serve(socket)` once its request head arrived. */
async function peer(serve: (s: net.Socket) => void): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      serve(s);
    };
    s.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

function client(port: number, args: string[]): Proc {
  return new Proc('client', ['-s', `127.0.0.1:${port}`, '--transport', 'sse', '--subjects', '/p/s1/-', '--interval', '1', ...args]);
}

test('a response that is not an event stream is refused by name before anything connects (exit 1)', async () => {
  const p = await peer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\n\r\n<html>'));
  try {
    const r = await run('client', ['-s', `127.0.0.1:${p.port}`, '--transport', 'sse', '--clients', '5', '--subjects', '/p/s1/-', '--duration', '2']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /server 127\.0\.0\.1:\d+ refused the event stream: not an event stream: Content-Type text\/html/);
    assert.match(r.stderr, /hint: check --sse-path/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    p.close();
  }
});

test('a line without end is bounded (64 KiB): the stream is dropped as protocol and reconnects; a server silent mid-event is dropped as idle-timeout', async () => {
  const endless = await peer((s) => {
    s.write(`${HEAD}\r\ndata: `);
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const more = () => {
      if (!s.destroyed && s.write(chunk)) setImmediate(more);
      else s.once('drain', more);
    };
    more();
  });
  const silent = await peer((s) => s.write(`${HEAD}\r\ndata: MDB1 00000001 0000`));
  try {
    const a = client(endless.port, ['--clients', '3', '--reconnect-min', '0.2', '--reconnect-max', '0.5', '--json', join(dir, 'endless.jsonl')]);
    await a.waitFor(/Connection errors: .*protocol [\d,]+/, 30_000);
    a.kill('SIGINT');
    assert.equal(await a.exited, 1, 'errors are not ok');
    assert.match(a.stdout, /Reconnections: [1-9][\d,]* disconnects, [1-9][\d,]* reconnects/);
    const b = client(silent.port, ['--clients', '3', '--idle-timeout', '2', '--json', join(dir, 'silent.jsonl')]);
    await b.waitFor(/Connection errors: .*idle-timeout 3/, 30_000);
    b.kill('SIGINT');
    await b.exited;
    assert.match(b.stdout, /Connect phases: tcp p50/);
  } finally {
    endless.close();
    silent.close();
  }
});

test('a chunked event stream cut into 1-7 byte writes: every event counted, nothing unstamped', async () => {
  const EVENTS = 300;
  const stamp = newStamp();
  stamp.publisherId = 0x1234;
  const p = await peer((s) => {
    const events: Buffer[] = [];
    for (let seq = 1; seq <= EVENTS; seq++) {
      const data = Buffer.alloc(100, 0x62);
      stamp.seq = seq;
      stamp.scheduledUs = stamp.sentUs = Date.now() * 1000;
      writeStamp(data, 0, stamp, 'text');
      events.push(Buffer.from(`id: ${seq}\r\n: a comment\r\ndata: ${data.toString('latin1')}\r\n\r\n`));
    }
    const body = Buffer.concat(events);
    const wire: Buffer[] = [Buffer.from(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`)];
    for (let at = 0; at < body.length; ) {
      const n = Math.min(body.length - at, 1 + ((at * 7919) % 61));
      wire.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
      at += n;
    }
    const bytes = Buffer.concat(wire);
    let at = 0;
    const next = () => {
      if (s.destroyed || at >= bytes.length) return;
      const n = 1 + (at % 7);
      s.write(bytes.subarray(at, at + n));
      at += n;
      setImmediate(next);
    };
    next();
  });
  try {
    const file = join(dir, 'chunked.jsonl');
    const c = client(p.port, ['--clients', '1', '--json', file]);
    await c.waitFor(new RegExp(`Total messages: ${EVENTS}\\b`), 60_000);
    c.kill('SIGINT');
    await c.exited;
    const s = summaryOf(file);
    assert.equal(s.counters.messages, EVENTS);
    assert.equal(s.counters.unstamped ?? 0, 0);
    assert.equal(s.counters.gaps ?? 0, 0);
  } finally {
    p.close();
  }
});

test('streams that close themselves and come back (--lifetime) resume from Last-Event-ID on mdbench-server: nothing missed while away', async () => {
  // One worker: the replay window is a worker's own (docs/protocols.md).
  const server = await startServer(['--workers', '1']);
  const cfile = join(dir, 'resume-client.jsonl');
  const pfile = join(dir, 'resume-publisher.jsonl');
  const c = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--transport',
    'sse',
    '--clients',
    '200',
    '--subjects',
    '/p/s{1..20}/-',
    '--one-to-one',
    '--lifetime',
    'uniform:1s-3s',
    '--interval',
    '1',
    '--json',
    cfile,
  ]);
  try {
    await c.waitFor(/Connected: 200 open, 200 subscribed/, 60_000);
    const pub = await run('publisher', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--transport',
      'http',
      '--subjects',
      '/p/s{1..20}/-',
      '--frequency',
      '400',
      '--messages',
      '4000',
      '--json',
      pfile,
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    const sent = summaryOf(pfile).totalSent;
    // Until every stream has every message (asked of the client's interval records), 60 s at most. A
    // stream whose first lifetime ended before the first message it could have had has no event
    // id to resume from: those messages are before its first (joinedAfter), as SSE has it.
    const counted = () =>
      jsonLines(readFileSync(cfile, 'utf8'))
        .filter((r) => r.type === 'interval')
        .reduce((a, r) => a + (r.counters.messages ?? 0) + (r.counters.joinedAfter ?? 0), 0);
    for (let end = Date.now() + 60_000; counted() < sent * 10 && Date.now() < end; ) await sleep(250);
    await sleep(1500); // one more interval: anything beyond would show
    c.kill('SIGINT');
    assert.ok([0, 1].includes(await c.exited), c.stderr);
    const s = summaryOf(cfile);
    assert.ok((s.counters.reconnects ?? 0) >= 200, `every stream came back at least once: ${s.counters.reconnects}`);
    assert.equal(s.counters.missedOffline ?? 0, 0, 'resumed: nothing missed while away');
    assert.ok((s.counters.resumed ?? 0) > 0, 'what was sent while a stream was away came with its resume');
    assert.match(c.stdout, /Integrity: 0 lost \(gaps\), 0 duplicates, 0 out of order, 0 unstamped; [\d,]+ recovered by resume/);
    assert.equal(s.counters.gaps ?? 0, 0);
    assert.equal(s.counters.messages + (s.counters.joinedAfter ?? 0), sent * 10, '10 subscribers a subject, every message to each');
    assert.ok((s.counters.joinedAfter ?? 0) < 100, `joinedAfter ${s.counters.joinedAfter}: only streams away before their first event`);
  } finally {
    c.kill('SIGKILL');
    await server.stop();
  }
});

test('https://: event streams and HTTP publishing over TLS against mdbench-server, verified with the CA made now; the TLS phase timed, every message accounted', async () => {
  const certs = makeCerts();
  const server = await startServer(['--workers', '1', '--tls-cert', certs.cert, '--tls-key', certs.key]);
  const url = `https://127.0.0.1:${server.port}`;
  const cfile = join(dir, 'tls-client.jsonl');
  const c = new Proc('client', [
    '-s',
    url,
    '--transport',
    'sse',
    '--tls-ca',
    certs.ca,
    '--clients',
    '50',
    '--subjects',
    '/p/s{1..50}/-',
    '--one-to-one',
    '--interval',
    '1',
    '--json',
    cfile,
  ]);
  try {
    await c.waitFor(/Connected: 50 open, 50 subscribed/, 60_000);
    const pub = await run('publisher', [
      '-s',
      url,
      '--transport',
      'http',
      '--tls-ca',
      certs.ca,
      '--subjects',
      '/p/s{1..50}/-',
      '--frequency',
      '200',
      '--messages',
      '500',
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    await c.waitFor(/Total messages: 500\b/, 30_000);
    c.kill('SIGINT');
    assert.equal(await c.exited, 0, c.stdout.slice(-2000));
    const s = summaryOf(cfile);
    assert.equal(s.counters.messages, 500);
    assert.equal(s.counters.gaps ?? 0, 0);
    assert.match(c.stdout, /Connect phases: tcp p50 [\d.,]+ ms .*tls p50 [\d.,]+ ms .*upgrade p50/);
  } finally {
    c.kill('SIGKILL');
    await server.stop();
  }
});
