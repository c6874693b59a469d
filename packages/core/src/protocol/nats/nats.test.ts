import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FakeSession, splitAt } from '../../testing.js';
import { nats } from './nats.js';
import { parseNats, type NatsEvents } from './parser.js';

const options = { role: 'subscriber' as const, qos: 0, mqttVersion: 4, keepaliveS: 30, window: 0 };
const INFO = 'INFO {"server_id":"X","version":"2.9.10","max_payload":1048576} \r\n';

function connected(topics: string[] = ['/p/s1/-', '/p/s2/-']): { s: FakeSession; p: ReturnType<typeof nats.create> } {
  const p = nats.create({ ...options, user: 'u', password: 'pw' });
  const s = new FakeSession('subscriber', topics);
  p.open(s);
  p.receive(s, Buffer.from(INFO));
  p.receive(s, Buffer.from('PONG\r\n'));
  return { s, p };
}

test('session: INFO -> CONNECT (credentials, name), SUBs with sids, PING; the PONG confirms them', () => {
  const { s } = connected();
  assert.equal(s.sent.length, 1);
  const text = s.sent[0].toString();
  const lines = text.split('\r\n');
  assert.match(lines[0], /^CONNECT \{.*\}$/);
  const c = JSON.parse(lines[0].slice(8));
  assert.equal(c.verbose, false);
  assert.equal(c.pedantic, false);
  assert.equal(c.user, 'u');
  assert.equal(c.pass, 'pw');
  assert.equal(c.name, 'test-1-0-7');
  assert.deepEqual(lines.slice(1), ['SUB /p/s1/- 1', 'SUB /p/s2/- 2', 'PING', '']);
  assert.deepEqual(s.kinds(), ['connected', 'subscribed']);
});

test('MSG lines and payloads split anywhere, and several per message, all arrive whole; PING answered', () => {
  const stream = Buffer.from('MSG /p/s1/- 1 5\r\nhello\r\nPING\r\nMSG /p/s2/- 2 _INBOX.x 3\r\na\r\n\r\nHMSG /p/s1/- 1 12 15\r\nNATS/1.0\r\n\r\nxyz\r\n');
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }), (cuts) => {
      const { s, p } = connected();
      for (const chunk of splitAt(stream, cuts)) p.receive(s, chunk);
      assert.deepEqual(s.messages(), ['hello', 'a\r\n', 'xyz']);
      assert.equal(s.sent.filter((b) => b.toString() === 'PONG\r\n').length, 1);
      assert.equal(s.carry, null);
    }),
    { numRuns: 1000 },
  );
});

test('-ERR: an authorization violation is a refusal, others are counted errors, by cause', () => {
  const { s, p } = connected();
  p.receive(s, Buffer.from("-ERR 'Permissions Violation for Publish to /p/s9/-'\r\n-ERR 'Authorization Violation'\r\n"));
  assert.deepEqual(
    s.events.slice(2).map((e) => [e.kind, (e as { cause: string }).cause]),
    [
      ['error', '-ERR Permissions Violation for Publish'],
      ['refuse', '-ERR Authorization Violation'],
    ],
  );
});

test('PUB: exactly publishBytes bytes, the payload as given', () => {
  const p = nats.create({ ...options, role: 'publisher' });
  const payload = Buffer.from('0123456789'.repeat(10));
  const n = p.publishBytes('/p/s1/-', payload.length);
  const out = Buffer.alloc(n + 4, 0xee);
  const end = p.writePublish(out, 2, new FakeSession('publisher'), '/p/s1/-', payload, { publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0 });
  assert.equal(end, n + 2);
  assert.equal(out.toString('latin1', 2, end), `PUB /p/s1/- 100\r\n${payload.toString()}\r\n`);
});

test('the parser never throws on arbitrary bytes and keeps at most a bounded tail', () => {
  const ev: NatsEvents = { info() {}, msg() {}, ping() {}, pong() {}, ok() {}, err() {}, bad() {} };
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = parseNats(Buffer.from(bytes), ev);
      assert.ok(r >= -1 && r <= bytes.length);
    }),
    { numRuns: 5000 },
  );
  const { s, p } = connected();
  for (let i = 0; i < 200; i++) p.receive(s, Buffer.from('MSG /p/s1/- 1 99999999 '.repeat(3)));
  assert.ok(s.kinds().includes('malformed'));
});

test('requests: a subscriber that makes requests subscribes to its inbox; a request is PUB with the inbox and id as reply-to; the reply on the inbox is reported by id', () => {
  const p = nats.create({ ...options, requests: true });
  const s = new FakeSession('subscriber', ['/p/s1/-']);
  p.open(s);
  p.receive(s, Buffer.from(INFO));
  const inbox = `_INBOX.${s.clientId}`;
  assert.match(s.sent[0].toString(), new RegExp(`SUB /p/s1/- 1\\r\\nSUB ${inbox.replace(/\./g, '\\.')}\\.\\* 2\\r\\nPING\\r\\n$`));
  const payload = Buffer.from('hello');
  const out = Buffer.alloc(p.requestBytes?.(s, '/p/s1/-', payload.length) ?? 0);
  const end = p.writeRequest?.(out, 0, s, '/p/s1/-', 77, payload) ?? 0;
  assert.equal(out.toString('utf8', 0, end), `PUB /p/s1/- ${inbox}.77 5\r\nhello\r\n`);
  p.receive(s, Buffer.from(`MSG ${inbox}.77 2 5\r\nhello\r\n`));
  assert.deepEqual(s.events.at(-1), { kind: 'answered', id: 77 });
});

test('responder: its topics in one queue group; a message with a reply-to is a request to answer', () => {
  const p = nats.create({ ...options, role: 'responder' });
  const s = new FakeSession('responder', ['/p/s1/-']);
  p.open(s);
  p.receive(s, Buffer.from(INFO));
  assert.match(s.sent[0].toString(), /SUB \/p\/s1\/- mdbench-responders 1\r\nPING\r\n$/);
  p.receive(s, Buffer.from('PONG\r\nMSG /p/s1/- 1 _INBOX.x.9 3\r\nabc\r\n'));
  assert.deepEqual(s.events.at(-1), { kind: 'request', replyTo: '_INBOX.x.9', payload: Buffer.from('abc') });
});
