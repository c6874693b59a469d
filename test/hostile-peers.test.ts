import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { FrameType, Opcode, encodeClientFrame, encodeSubjectList } from '@mdbench/core/internal';
import { binPath, connects, freePort, startServer, track } from '../tools/harness/processes.mjs';
import { frame, rawWebSocket } from './helpers/faults.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the close code the server sends (-1: the socket closed without one) and when. */
function closeOf(s: net.Socket): Promise<{ code: number; atMs: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (let at = 0; at + 2 <= buf.length; ) {
        let len = buf[at + 1] & 0x7f;
        let head = 2;
        if (len === 126) [len, head] = [at + 4 <= buf.length ? buf.readUInt16BE(at + 2) : Infinity, 4];
        else if (len === 127) [len, head] = [at + 10 <= buf.length ? buf.readUInt32BE(at + 6) : Infinity, 10];
        if ((buf[at] & 0x0f) === 0x8 && at + 4 <= buf.length) return resolve({ code: buf.readUInt16BE(at + 2), atMs: performance.now() - t0 });
        at += head + len;
      }
    });
    s.on('close', () => resolve({ code: -1, atMs: performance.now() - t0 }));
    s.on('error', () => {});
  });
}

async function totals(server: { get<T>(p: string): Promise<T> }): Promise<Record<string, number>> {
  await sleep(1100); // workers report once a second
  return (await server.get<{ totals: Record<string, number> }>('/stats')).totals;
}

async function stillServing(port: number): Promise<void> {
  const probe = await connects(['-s', `127.0.0.1:${port}`], 5);
  assert.equal(probe.code, 0, probe.stdout + probe.stderr);
}

test('fragments: their total is bounded by BufferLimit.Receive (close 1009), not only each fragment', async () => {
  const server = await startServer(['--workers', '1', '--buffer-limit-receive', '4096']);
  const s = await rawWebSocket(server.port);
  const closed = closeOf(s);
  s.write(encodeClientFrame(Opcode.BINARY, Buffer.alloc(1000), 'random').fill(0x02, 0, 1)); // fin 0, binary
  for (let i = 0; i < 100 && !s.destroyed; i++) s.write(encodeClientFrame(Opcode.CONTINUATION, Buffer.alloc(1000), 'random').fill(0x00, 0, 1)); // fin 0
  assert.equal((await closed).code, 1009);
  assert.equal((await totals(server)).oversized, 1);
  await stillServing(server.port);
  await server.stop();
});

test('slowloris: an upgrade that trickles in is dropped after the upgrade timeout; a peer that closes and never ends is dropped too', async () => {
  const server = await startServer(['--workers', '1']);
  const slow = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const s = net.connect({ host: '127.0.0.1', port: server.port });
      s.on('error', () => {});
      await once(s, 'connect');
      s.write('GET / HTTP/1.1\r\nHost: x\r\n');
      return s;
    }),
  );
  const trickle = setInterval(() => {
    for (const s of slow) if (!s.destroyed) s.write('X-A: b\r\n');
  }, 1000);
  // Close, then hold: the peer sends its close frame, reads the answer, and never ends its side
  // (and keeps sending, so no idle timeout would fire).
  const holder = await rawWebSocket(server.port);
  const holderClosed = new Promise<number>((resolve) => {
    const t0 = performance.now();
    holder.on('close', () => resolve(performance.now() - t0));
    holder.on('error', () => {});
  });
  holder.write(encodeClientFrame(Opcode.CLOSE, Buffer.from([0x03, 0xe8]), 'random'));
  const noise = setInterval(() => !holder.destroyed && holder.write(frame(Buffer.from([1]))), 200);
  const holdMs = await holderClosed;
  clearInterval(noise);
  assert.ok(holdMs < 8000, `a peer that never ended was held ${holdMs} ms`);
  const t0 = performance.now();
  await Promise.all(slow.map((s) => once(s, 'close')));
  clearInterval(trickle);
  const heldMs = performance.now() - t0;
  assert.ok(heldMs < 20_000, `slowloris sockets held ${heldMs} ms`);
  assert.ok((await totals(server)).badUpgrades >= 5);
  await stillServing(server.port);
  await server.stop();
});

test('a peer that pings and never reads the pongs is disconnected at the send limit; one that subscribes too many subjects is closed 1008', async () => {
  const server = await startServer(['--workers', '1', '--buffer-limit-send', '65536', '--slow-consumer', 'disconnect']);
  const s = await rawWebSocket(server.port);
  s.pause(); // never read
  const closed = new Promise((r) => s.on('close', r));
  s.on('error', () => {});
  const ping = encodeClientFrame(Opcode.PING, Buffer.alloc(125, 7), 'random');
  const batch = Buffer.concat(Array.from({ length: 1000 }, () => ping));
  for (let i = 0; i < 400 && !s.destroyed; i++) {
    if (!s.write(batch)) await Promise.race([once(s, 'drain').catch(() => {}), closed, sleep(2000)]);
  }
  await Promise.race([closed, sleep(10_000)]);
  assert.ok(s.destroyed || s.readableEnded, 'the silent reader was not disconnected');
  s.destroy();
  assert.ok((await totals(server)).slowDisconnects >= 1);

  // Policy drop (the default): the replies it does not read are dropped and counted instead.
  const dropping = await startServer(['--workers', '1', '--buffer-limit-send', '65536']);
  const d = await rawWebSocket(dropping.port);
  d.pause();
  d.on('error', () => {});
  for (let i = 0; i < 400 && !d.destroyed; i++) {
    if (!d.write(batch)) await Promise.race([once(d, 'drain').catch(() => {}), sleep(2000)]);
  }
  await sleep(500);
  const dropped = await totals(dropping);
  assert.ok(dropped.slowDrops > 0, JSON.stringify(dropped));
  assert.ok(dropped.rssBytes === undefined || dropped.rssBytes < 300 * 1024 * 1024, `server RSS ${dropped.rssBytes}`);
  d.destroy();
  await dropping.stop();

  const many = await rawWebSocket(server.port);
  const manyClosed = closeOf(many);
  for (let k = 0; k < 11; k++) {
    const subjects = Array.from({ length: 1000 }, (_, i) => `/s/${k * 1000 + i}`);
    if (!many.destroyed) many.write(frame(encodeSubjectList(FrameType.SUBSCRIBE, subjects)));
  }
  assert.equal((await manyClosed).code, 1008);
  many.destroy();
  // Few subjects but long ones: capped by bytes too (one subject, and all of a connection's).
  const long = await rawWebSocket(server.port);
  const longClosed = closeOf(long);
  long.write(frame(encodeSubjectList(FrameType.SUBSCRIBE, ['/s/'.padEnd(2000, 'x')])));
  assert.equal((await longClosed).code, 1008);
  long.destroy();
  const heavy = await rawWebSocket(server.port);
  const heavyClosed = closeOf(heavy);
  for (let k = 0; k < 30 && !heavy.destroyed; k++) {
    heavy.write(
      frame(
        encodeSubjectList(
          FrameType.SUBSCRIBE,
          Array.from({ length: 10 }, (_, i) => `/s/${k}/${i}/`.padEnd(1000, 'y')),
        ),
      ),
    );
  }
  assert.equal((await heavyClosed).code, 1008, 'subjects of over 256 KiB on one connection');
  heavy.destroy();
  // --max-subjects sets the count: 4 subjects are fine by default, and one too many past 3.
  const fourSubjects = async (port: number) => {
    const peer = await rawWebSocket(port);
    const closed = closeOf(peer);
    peer.write(frame(encodeSubjectList(FrameType.SUBSCRIBE, ['/m/1', '/m/2', '/m/3'])));
    peer.write(frame(encodeSubjectList(FrameType.SUBSCRIBE, ['/m/4'])));
    const outcome = await Promise.race([closed.then((c) => c.code), sleep(1500).then(() => 'open')]);
    peer.destroy();
    return outcome;
  };
  assert.equal(await fourSubjects(server.port), 'open');
  const limited = await startServer(['--workers', '1', '--max-subjects', '3']);
  assert.equal(await fourSubjects(limited.port), 1008);
  await limited.stop();
  await stillServing(server.port);
  await server.stop();
});

test('a connection flood past the open-file limit (prlimit) pauses accepting; the server lives on and serves again', async () => {
  const port = await freePort();
  const child = track(
    spawn(
      'prlimit',
      [
        '--nofile=200:200',
        process.execPath,
        binPath('server'),
        '--listen',
        `127.0.0.1:${port}`,
        '--workers',
        '1',
        '--max-sockets-per-worker',
        '5000',
        '--interval',
        '3600',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
        detached: true,
      },
    ),
  );
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = once(child, 'exit');
  while (!/Listening/.test(out)) {
    assert.equal(child.exitCode, null, out);
    await sleep(100);
  }
  const flood: net.Socket[] = [];
  for (let i = 0; i < 400; i++) {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => {});
    flood.push(s);
  }
  await sleep(3000);
  assert.equal(child.exitCode, null, `the server died under the flood: ${out}`);
  assert.match(out, /MaxSocketsPerWorker 5000 is more than the open-file limit leaves/);
  for (const s of flood) s.destroy();
  await sleep(6000); // the accept backoff runs out
  await stillServing(port);
  assert.equal(child.exitCode, null, out);
  assert.doesNotMatch(out, /ERR_SERVER_ALREADY_LISTEN|internal error/);
  process.kill(-(child.pid as number), 'SIGINT');
  await exited;
});
