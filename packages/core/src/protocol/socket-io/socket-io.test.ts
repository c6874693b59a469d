import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FakeSession } from '../../testing.js';
import type { ProtocolOptions } from '../protocol.js';
import { decodePacket, enginePath } from './codec.js';
import { socketIo } from './socket-io.js';

const RUNS = Number(process.env.MDBENCH_FUZZ_RUNS ?? 300);
const options: ProtocolOptions = { role: 'subscriber', qos: 0, mqttVersion: 4, keepaliveS: 30, window: 0 };
const OPEN = '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
const text = (s: FakeSession) => s.sent.map((b) => b.toString());

function subscribed(o: Partial<ProtocolOptions> = {}, topics = ['/p/s1/-']) {
  const p = socketIo.create({ ...options, ...o });
  const s = new FakeSession('subscriber', topics);
  p.open(s);
  p.receive(s, Buffer.from(OPEN));
  const ns = o.socketIo?.namespace && o.socketIo.namespace !== '/' ? `${o.socketIo.namespace},` : '';
  p.receive(s, Buffer.from(`40${ns}{"sid":"x"}`));
  p.receive(s, Buffer.from(`43${ns}1[{"ok":true}]`));
  return { p, s };
}

test('path: the Engine.IO query after the server path', () => {
  assert.equal(enginePath('/socket.io/'), '/socket.io/?EIO=4&transport=websocket');
  assert.equal(enginePath('/rt'), '/rt/?EIO=4&transport=websocket');
  assert.equal(socketIo.create(options).path, '/socket.io/?EIO=4&transport=websocket');
});

test('subscriber: open, namespace connect with the login as auth, subscribe with an ack, subscribed on the ack; pings answered', () => {
  const { p, s } = subscribed(
    {
      token: 't0k',
      socketIo: { path: '/socket.io/', namespace: '/feed', subscribeEvent: 'join', publishEvent: 'publish', messageEvent: 'msg', requestEvent: 'ask' },
    },
    ['/p/s1/-', '/p/s2/-'],
  );
  assert.deepEqual(text(s), ['40/feed,{"token":"t0k"}', '42/feed,1["join",["/p/s1/-","/p/s2/-"]]']);
  assert.deepEqual(
    s.events.map((e) => e.kind),
    ['connected', 'subscribed'],
  );
  p.receive(s, Buffer.from('2'));
  assert.equal(text(s).at(-1), '3');
});

test('messages: a binary attachment is the payload, byte for byte; a string payload is its UTF-8; other events and namespaces are skipped', () => {
  const { p, s } = subscribed();
  const payload = Buffer.from([0xb5, 0x4d, 0x44, 0x01, 0, 0, 0, 0, 0xff, 0x00, 0x80]);
  p.receive(s, Buffer.from('451-["message","/p/s1/-",{"_placeholder":true,"num":0}]'));
  p.receive(s, payload);
  p.receive(s, Buffer.from('42["message","/p/s1/-","héllo"]'));
  p.receive(s, Buffer.from('42["message","/p/s1/-",{"type":"Buffer","data":[181,1,2]}]'));
  p.receive(s, Buffer.from('451-["other","x",{"_placeholder":true,"num":0}]'));
  p.receive(s, Buffer.from('this attachment belongs to "other"'));
  p.receive(s, Buffer.from('42/elsewhere,["message","/p/s1/-","not ours"]'));
  const msgs = s.events.filter((e) => e.kind === 'message') as { topic: string; payload: Buffer }[];
  assert.equal(msgs.length, 3);
  assert.deepEqual(msgs[0].payload, payload);
  assert.equal(msgs[1].payload.toString('utf8'), 'héllo');
  assert.deepEqual(msgs[2].payload, Buffer.from([181, 1, 2]));
});

test('refusals: a namespace refused and a subscribe acknowledged with an error are refusals with the reason; a server close drops', () => {
  const p = socketIo.create(options);
  const s = new FakeSession('subscriber', ['/p/s1/-']);
  p.open(s);
  p.receive(s, Buffer.from(OPEN));
  p.receive(s, Buffer.from('44{"message":"not authorized"}'));
  assert.deepEqual(s.events.at(-1), { kind: 'refuse', cause: 'socket.io: namespace refused', detail: 'not authorized' });
  const q = socketIo.create(options);
  const t = new FakeSession('subscriber', ['/p/s1/-']);
  q.open(t);
  q.receive(t, Buffer.from(OPEN));
  q.receive(t, Buffer.from('40{"sid":"x"}'));
  q.receive(t, Buffer.from('431[{"error":"no such room"}]'));
  assert.deepEqual(t.events.at(-1), { kind: 'refuse', cause: 'socket.io: subscribe refused', detail: 'no such room' });
  q.receive(t, Buffer.from('1'));
  assert.equal(t.events.at(-1)?.kind, 'drop');
});

test('publisher: connected on the namespace connect; a publish is the binary event text, exactly publishBytes, its attachment to follow', () => {
  const p = socketIo.create({ ...options, role: 'publisher' });
  const s = new FakeSession('publisher');
  p.open(s);
  p.receive(s, Buffer.from(OPEN));
  p.receive(s, Buffer.from('40{"sid":"x"}'));
  assert.deepEqual(
    s.events.map((e) => e.kind),
    ['connected'],
  );
  const out = Buffer.alloc(200);
  const end = p.writePublish(out, 3, s, '/p/s1/-', Buffer.alloc(512), { publisherId: 1, seq: 1, scheduledUs: 0, sentUs: 0 });
  assert.equal(out.subarray(3, end).toString(), '451-["publish","/p/s1/-",{"_placeholder":true,"num":0}]');
  assert.equal(end - 3, p.publishBytes('/p/s1/-', 512));
  assert.equal(p.attachment, true);
});

test('bad options: an empty event name and a namespace without its slash are one line each, located at their option', () => {
  assert.throws(
    () => socketIo.create({ ...options, socketIo: { path: '/socket.io/', namespace: 'feed', subscribeEvent: 's', publishEvent: 'p', messageEvent: 'm' } }),
    /"feed" is not a namespace/,
  );
  assert.throws(
    () => socketIo.create({ ...options, socketIo: { path: '/socket.io/', namespace: '/', subscribeEvent: ' ', publishEvent: 'p', messageEvent: 'm' } }),
    (e: Error & { option?: string }) => e.option === 'sioSubscribeEvent',
  );
});

test('fuzz: any text is a packet or a reason, never a throw; a session fed cut packets and stray attachments keeps working', () => {
  fc.assert(
    fc.property(fc.string(), (t) => {
      const r = decodePacket(t);
      assert.ok(typeof r === 'string' || typeof r === 'object');
    }),
    { numRuns: RUNS * 10 },
  );
  const good = [
    '451-["message","/p/s1/-",{"_placeholder":true,"num":0}]',
    '42["message","/p/s1/-","x"]',
    '2',
    '43/x,7[1]',
    '452-["message","/p/s1/-",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
  ];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...good), fc.nat(60), fc.boolean()), { maxLength: 20 }), (msgs) => {
      const { p, s } = subscribed();
      for (const [m, cut, binary] of msgs) p.receive(s, binary ? Buffer.from([0xb5, 1, 2, 3]) : Buffer.from(m.slice(0, cut)));
      // Whatever came before, once the attachments owed are through, a whole message is read.
      s.data = null;
      p.receive(s, Buffer.from('42["message","/p/s1/-","last"]'));
      assert.equal(s.messages().at(-1), 'last');
    }),
    { numRuns: RUNS },
  );
});

test('hostile input: a binary packet declaring more attachments than socket.io-parser allows is malformed, and later messages are messages', () => {
  assert.match(decodePacket('51e9-["message","/p/s1/-",{"_placeholder":true,"num":0}]') as string, /declaring over a million attachments/);
  assert.match(decodePacket('511-["message"]') as string, /declaring 11 attachments \(at most 10\)/);
  assert.equal((decodePacket('510-["message"]') as { attachments: number }).attachments, 10);
});

test('request: the request event with (subject, payload) and an acknowledgement carrying the id; the acknowledgement is the reply, reported by id', () => {
  const { p, s } = subscribed({
    socketIo: { path: '/socket.io/', namespace: '/feed', subscribeEvent: 'subscribe', publishEvent: 'publish', messageEvent: 'message', requestEvent: 'ask' },
  });
  const payload = Buffer.from('abcDEF123');
  const out = Buffer.alloc(p.requestBytes?.(s, '/p/s1/-', payload.length) ?? 0);
  const end = p.writeRequest?.(out, 0, s, '/p/s1/-', 41, payload) ?? 0;
  assert.equal(out.toString('latin1', 0, end), '42/feed,42["ask","/p/s1/-","abcDEF123"]');
  p.receive(s, Buffer.from('43/feed,42["abcDEF123"]'));
  assert.deepEqual(s.events.at(-1), { kind: 'answered', id: 41 });
});
