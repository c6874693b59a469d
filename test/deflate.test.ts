import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import zlib from 'node:zlib';
import WebSocket from 'ws';
import {
  FrameType,
  NATIVE_SUBPROTOCOL,
  Opcode,
  encodeClientFrame,
  encodeSubjectList,
  encodeTimeRequest,
  frameType,
  messageSubject,
  type MessageFields,
} from '@mdbench/core/internal';
import { decodeMessage } from '@mdbench/core/testing';
import { Proc, connects, run, startServer, summaryOf } from '../tools/harness/processes.mjs';
import { rawWebSocketWithHead } from './helpers/faults.js';

// permessage-deflate end to end against mdbench-server --compression deflate.
const dir = mkdtempSync(join(tmpdir(), 'mdbench-deflate-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a mixed fleet (300 subscribers compressing, 100 not) and a compressing publisher: every message accounted; only the compressing side shows the ratio', async () => {
  const server = await startServer(['--workers', '2', '--compression', 'deflate']);
  assert.match(server.proc.stdout, /Listening: .*permessage-deflate accepted/);
  const url = `ws://127.0.0.1:${server.port}/`;
  const packed = new Proc('client', [
    '-s',
    url,
    '--compression',
    'deflate',
    '--clients',
    '300',
    '--subjects',
    '/p/s{1..300}/-',
    '--one-to-one',
    '--local-addresses',
    '127.0.0.{2..3}',
    '--local-ports',
    '35000-35299',
    '--interval',
    '1',
    '--json',
    join(dir, 'packed.jsonl'),
  ]);
  const plain = new Proc('client', [
    '-s',
    url,
    '--clients',
    '100',
    '--subjects',
    '/p/s{301..400}/-',
    '--one-to-one',
    '--interval',
    '1',
    '--json',
    join(dir, 'plain.jsonl'),
  ]);
  try {
    await packed.waitFor(/Connected: 300 open, 300 subscribed, 0 failed/, 60_000);
    await plain.waitFor(/Connected: 100 open, 100 subscribed, 0 failed/, 60_000);
    assert.match(packed.stdout, /Plan: .*permessage-deflate offered \(no context kept\)/);
    const pub = await run('publisher', [
      '-s',
      url,
      '--compression',
      'deflate',
      '--subjects',
      '/p/s{1..400}/-',
      '--frequency',
      '2000',
      '--messages',
      '8000',
      '--interval',
      '1',
    ]);
    // Every message published; the rate may not hold on a loaded host (exit 1): not what this test is about.
    assert.ok([0, 1].includes(pub.code), pub.stdout + pub.stderr);
    assert.match(pub.stdout, /Stopped: 8,000 messages published/);
    assert.match(pub.stdout, /Compression: deflate, [\d.]+ MB on the wire for [\d.]+ MB of messages \(ratio 0\.[0-8]\d*\)/);
    for (let t = 0; t < 100; t++) {
      const inBoth = [packed, plain].map((p) => [...p.stdout.matchAll(/Total messages: ([\d,]+)/g)].map((m) => Number(m[1].replace(/,/g, ''))).pop() ?? 0);
      if (inBoth[0] + inBoth[1] >= 8000) break;
      await sleep(200);
    }
    packed.kill('SIGINT');
    plain.kill('SIGINT');
    assert.equal(await packed.exited, 0);
    assert.equal(await plain.exited, 0);
  } finally {
    // Whatever failed, nothing is left running to hold the test file open.
    packed.kill('SIGKILL');
    plain.kill('SIGKILL');
    await server.stop();
  }
  const a = summaryOf(join(dir, 'packed.jsonl'));
  const b = summaryOf(join(dir, 'plain.jsonl'));
  assert.equal(a.counters.messages + b.counters.messages, 8000, 'every message received');
  assert.equal((a.counters.gaps ?? 0) + (b.counters.gaps ?? 0), 0);
  assert.ok(a.counters.messages > 5000, `compressing subscribers got ${a.counters.messages}`);
  // The payloads are random alphanumerics: deflate saves about a sixth of each message.
  assert.ok(a.counters.deflateWireBytes < a.counters.deflateMessageBytes * 0.9, JSON.stringify(a.counters));
  assert.equal(b.counters.deflateWireBytes ?? 0, 0);
  const summary = (p: Proc) => p.stdout.slice(p.stdout.lastIndexOf('Summary'));
  assert.match(summary(packed), /Compression: deflate, [\d.]+ MB on the wire for [\d.]+ MB of messages \(ratio 0\.\d+\)/);
  assert.doesNotMatch(summary(plain), /Compression:/);
});

test('a browser-like peer (ws, its client keeping its compression context): its compressed SUBSCRIBE and time requests are read with their history; it receives compressed messages', async () => {
  const server = await startServer(['--workers', '1', '--compression', 'deflate']);
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, NATIVE_SUBPROTOCOL, { perMessageDeflate: { threshold: 0 } });
  await once(ws, 'open');
  assert.match(String(ws.extensions), /permessage-deflate/);
  const got: Buffer[] = [];
  ws.on('message', (data: Buffer) => got.push(data));
  ws.send(encodeSubjectList(FrameType.SUBSCRIBE, ['/b/1']));
  // The same request three times: ws's kept context makes the later ones back-references into the first.
  for (let i = 0; i < 3; i++) ws.send(encodeTimeRequest(1_700_000_000_000_000));
  for (let t = 0; t < 100 && got.length < 4; t++) await sleep(50);
  assert.equal(got.length, 4, 'SUBACK and three time responses');
  assert.equal(frameType(got[0]), FrameType.SUBACK);
  for (const r of got.slice(1)) assert.equal(frameType(r), FrameType.TIME_RESPONSE);
  const pub = await run('publisher', [
    '-s',
    `ws://127.0.0.1:${server.port}/`,
    '--compression',
    'deflate',
    '--subjects',
    '/b/1',
    '--frequency',
    '200',
    '--messages',
    '50',
    '--message-size',
    '2000',
    '--interval',
    '1',
  ]);
  assert.equal(pub.code, 0, pub.stderr);
  for (let t = 0; t < 100 && got.length < 54; t++) await sleep(50);
  const messages = got.slice(4);
  assert.equal(messages.length, 50);
  const f = {} as MessageFields;
  for (const m of messages) {
    assert.equal(messageSubject(m), '/b/1');
    assert.equal(decodeMessage(m, f).payloadBytes, 2000);
  }
  ws.close();
  await server.stop();
});

test('hostile compressed frames: a bomb stops at the receive limit (1009), bytes that are not deflate are 1007; the server goes on serving', async () => {
  const server = await startServer(['--workers', '1', '--compression', 'deflate', '--buffer-limit-receive', '65536']);
  const offer = 'Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n';
  const bomb = zlib.deflateRawSync(Buffer.alloc(8 << 20), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
  assert.ok(bomb.length < 16_384);
  for (const [payload, code] of [
    [bomb, 1009],
    [Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]), 1007],
  ] as const) {
    const { sock, head } = await rawWebSocketWithHead(server.port, offer);
    assert.match(head, /Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover/);
    const frame = encodeClientFrame(Opcode.BINARY, payload, 'random', true);
    const closed = new Promise<number>((resolve) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 4 && (buf[0] & 0x0f) === Opcode.CLOSE) resolve(buf.readUInt16BE(2));
      });
      sock.on('close', () => resolve(-1));
    });
    sock.write(frame);
    assert.equal(await closed, code);
    sock.destroy();
  }
  // RSV1 from a peer that did not agree to deflate is a protocol error.
  const { sock } = await rawWebSocketWithHead(server.port);
  const closed = new Promise<number>((resolve) => sock.once('data', (d: Buffer) => resolve(d.readUInt16BE(2))));
  sock.write(encodeClientFrame(Opcode.BINARY, Buffer.from('x'), 'random', true));
  assert.equal(await closed, 1002);
  sock.destroy();
  const probe = await connects(['-s', `127.0.0.1:${server.port}`, '--compression', 'deflate'], 5);
  assert.equal(probe.code, 0, probe.stdout + probe.stderr);
  await server.stop();
});
