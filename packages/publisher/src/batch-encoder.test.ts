import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Opcode, loadProtocol, readFrames, readStamp, newStamp, type MessageFields, type Protocol } from '@mdbench/core/internal';
import { decodeMessage } from '@mdbench/core/testing';
import { BatchEncoder } from './batch-encoder.js';
import type { PublisherConnection } from './publisher-connection.js';
import { PayloadPool } from '@mdbench/core/internal';
import { SequenceNumbers } from './sequence-numbers.js';

const WHERE = () => ({ file: 'test', key: 'Protocol' });

/** A connection that keeps what is written to it. */
function conn(inflight = 0) {
  const written: Buffer[] = [];
  return { ready: true, inflight, socket: { writableLength: 0, write: (b: Buffer) => written.push(b) }, written } as unknown as PublisherConnection & {
    written: Buffer[];
  };
}

/** The WebSocket payloads (unmasked) of everything written. */
function frames(c: { written: Buffer[] }): { opcode: number; payload: Buffer }[] {
  const out: { opcode: number; payload: Buffer }[] = [];
  const all = Buffer.concat(c.written);
  readFrames(all, 0, all.length, 1 << 24, true, { onFrame: (_f, opcode, payload) => out.push({ opcode, payload: Buffer.from(payload) }) });
  return out;
}

function encoder(protocol: Protocol, conns: PublisherConnection[], size = 100, subjects = 10) {
  let t = 1_000_000;
  return new BatchEncoder({
    protocol,
    conns,
    publisherId: 77,
    subjectCount: subjects,
    topicAt: (i) => `/p/s${i + 1}/-`,
    seqs: new SequenceNumbers(subjects),
    pool: new PayloadPool(size),
    rand: () => (t = (t * 16807) % 2147483647) / 2147483647,
    mask: 'random',
    framed: true,
    highWater: 1 << 20,
    scheduledUs: (k) => 1_000_000 + k * 1000,
    nowUs: () => 5_000_000,
  });
}

const opts = { role: 'publisher' as const, qos: 0, mqttVersion: 4, keepaliveS: 30, window: 0 };

test('native: one write per connection per batch; each message masked, stamped in its header with per-subject sequence numbers', async () => {
  const c = [conn(), conn()];
  const e = encoder(await loadProtocol('native', opts, WHERE, '/'), c);
  assert.equal(e.send(0, 200, 5_000_000), 200);
  assert.deepEqual(
    c.map((x) => x.written.length),
    [1, 1],
  );
  const msgs = c.flatMap((x) => frames(x)).map((f) => decodeMessage(f.payload, {} as MessageFields));
  assert.equal(msgs.length, 200);
  const bySubject = new Map<string, number[]>();
  for (const m of msgs) (bySubject.get(m.subject) ?? bySubject.set(m.subject, []).get(m.subject)!).push(m.seq);
  for (const seqs of bySubject.values())
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i + 1),
      'sequence numbers run 1, 2, 3 per subject',
    );
  assert.ok(msgs.every((m) => m.publisherId === 77 && m.sentUs === 5_000_000 && m.payloadBytes === 100));
  assert.deepEqual(
    msgs
      .map((m) => m.scheduledUs)
      .sort((a, b) => a - b)
      .slice(0, 3),
    [1_000_000, 1_001_000, 1_002_000],
  );
  // Subject i always goes over connection i mod 2: its order holds.
  for (const [k, x] of c.entries())
    for (const m of frames(x).map((f) => decodeMessage(f.payload, {} as MessageFields))) assert.equal((Number(m.subject.slice(4, -2)) - 1) % 2, k);
  assert.equal(e.lag.welford.count, 200);
});

test('other protocols: the payload is exactly MessageSize bytes and starts with the binary stamp', async () => {
  const c = [conn()];
  const e = encoder(await loadProtocol('nats', opts, WHERE, '/'), c, 64);
  e.send(0, 5, 5_000_000);
  const f = frames(c[0]);
  assert.equal(f.length, 5);
  for (const { payload } of f) {
    const text = payload.toString('latin1');
    const m = /^PUB (\S+) 64\r\n/.exec(text);
    assert.ok(m, text.slice(0, 40));
    const body = payload.subarray(m[0].length, payload.length - 2);
    assert.equal(body.length, 64);
    const st = newStamp();
    assert.ok(readStamp(body, 0, body.length, st));
    assert.equal(st.publisherId, 77);
  }
});

test('a connection down, backlogged or at its QoS 1 window takes nothing; the window limits a batch', async () => {
  const mqtt1 = await loadProtocol('mqtt', { ...opts, qos: 1, window: 10 }, WHERE, '/');
  const c = [conn(8)];
  const e = encoder(mqtt1, c);
  assert.equal(e.send(0, 100, 5_000_000), 2, 'room for 2 under a window of 10 with 8 in flight');
  assert.equal(c[0].inflight, 10);
  assert.equal(e.send(2, 100, 5_000_000), 0);
  const down = [conn()];
  (down[0] as { ready: boolean }).ready = false;
  assert.equal(encoder(await loadProtocol('native', opts, WHERE, '/'), down).send(0, 10, 0), 0);
  const full = [conn()];
  (full[0].socket as { writableLength: number }).writableLength = 2 << 20;
  assert.equal(encoder(await loadProtocol('native', opts, WHERE, '/'), full).send(0, 10, 0), 0);
  assert.equal(frames(c[0])[0].opcode, Opcode.BINARY);
});
