import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { FakeSession, splitAt } from '../../testing.js';
import { packetEnd, varIntBytes, writeVarInt } from './framing.js';
import { mqtt } from './mqtt.js';

const base = { role: 'subscriber' as const, qos: 0, mqttVersion: 4, keepaliveS: 30, window: 100 };
const gen = (p: Record<string, unknown>, v = 4) => mqttPacket.generate(p as unknown as Packet, { protocolVersion: v });
const parse = (b: Buffer, v = 4): Packet => {
  let out: Packet | undefined;
  const parser = mqttPacket.parser({ protocolVersion: v });
  parser.on('packet', (p: Packet) => (out = p));
  parser.parse(b);
  return out as Packet;
};

function subscribed(version: 4 | 5, qos: 0 | 1): { s: FakeSession; p: ReturnType<typeof mqtt.create> } {
  const p = mqtt.create({ ...base, mqttVersion: version, qos, user: 'u', password: 'pw' });
  const s = new FakeSession('subscriber', ['/p/s1/-', '/p/s2/-']);
  p.open(s);
  p.receive(
    s,
    gen(version === 5 ? { cmd: 'connack', reasonCode: 0, sessionPresent: false } : { cmd: 'connack', returnCode: 0, sessionPresent: false }, version),
  );
  p.receive(s, gen({ cmd: 'suback', messageId: 1, granted: [qos, qos] }, version));
  return { s, p };
}

for (const version of [4, 5] as const) {
  test(`MQTT ${version === 4 ? '3.1.1' : '5.0'} session: CONNECT with the client id, CONNACK, one SUBSCRIBE for every topic, SUBACK`, () => {
    const { s } = subscribed(version, 1);
    const connect = parse(s.sent[0], version) as Packet & { clientId: string; keepalive: number; username: string; clean: boolean; protocolVersion: number };
    assert.equal(connect.cmd, 'connect');
    assert.equal(connect.clientId, 'test-1-0-7');
    assert.equal(connect.keepalive, 30);
    assert.equal(connect.username, 'u');
    assert.equal(connect.clean, true);
    assert.equal(connect.protocolVersion, version);
    const sub = parse(s.sent[1], version) as Packet & { subscriptions: { topic: string; qos: number }[] };
    assert.deepEqual(
      sub.subscriptions.map((x) => [x.topic, x.qos]),
      [
        ['/p/s1/-', 1],
        ['/p/s2/-', 1],
      ],
    );
    assert.deepEqual(s.kinds(), ['connected', 'subscribed']);
  });

  test(`MQTT ${version === 4 ? '3.1.1' : '5.0'}: PUBLISH packets split across or packed within WebSocket messages all arrive; QoS 1 ones are acknowledged`, () => {
    const payloads = ['first', 'x'.repeat(300), 'third one', ''];
    const stream = Buffer.concat(
      payloads.map((pl, i) =>
        gen({ cmd: 'publish', topic: '/p/s1/-', payload: Buffer.from(pl), qos: 1, messageId: i + 10, dup: false, retain: false }, version),
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 10 }), (cuts) => {
        const { s, p } = subscribed(version, 1);
        for (const chunk of splitAt(stream, cuts)) p.receive(s, chunk);
        assert.deepEqual(s.messages(), payloads);
        const acks = s.sent.slice(2).map((b) => (parse(b, version) as Packet & { messageId: number }).messageId);
        assert.deepEqual(acks, [10, 11, 12, 13]);
      }),
      { numRuns: 500 },
    );
  });

  test(`MQTT ${version === 4 ? '3.1.1' : '5.0'}: the in-place PUBLISH is byte for byte mqtt-packet's`, () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.uint8Array({ maxLength: 300 }), fc.constantFrom(0, 1), (topic, body, qos) => {
        const p = mqtt.create({ ...base, role: 'publisher', mqttVersion: version, qos });
        const s = new FakeSession('publisher');
        s.data = 41;
        const payload = Buffer.from(body);
        const n = p.publishBytes(topic, payload.length);
        const out = Buffer.alloc(n);
        assert.equal(p.writePublish(out, 0, s, topic, payload, { publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0 }), n);
        const want = gen(
          { cmd: 'publish', topic, payload, qos, messageId: qos ? 42 : undefined, dup: false, retain: false, ...(version === 5 ? { properties: {} } : {}) },
          version,
        );
        assert.deepEqual(out, want);
      }),
      { numRuns: 1000 },
    );
  });
}

test('refusals are counted by reason code: CONNACK 5 (3.1.1), CONNACK 0x87 (5.0), SUBACK 0x80', () => {
  const p4 = mqtt.create(base);
  const s4 = new FakeSession('subscriber', ['/a']);
  p4.open(s4);
  p4.receive(s4, gen({ cmd: 'connack', returnCode: 5, sessionPresent: false }));
  assert.deepEqual(s4.events, [{ kind: 'refuse', cause: 'CONNACK 5 not authorized', detail: '' }]);
  const p5 = mqtt.create({ ...base, mqttVersion: 5 });
  const s5 = new FakeSession('subscriber', ['/a']);
  p5.open(s5);
  p5.receive(s5, gen({ cmd: 'connack', reasonCode: 0x87, sessionPresent: false }, 5));
  assert.equal((s5.events[0] as { cause: string }).cause, 'CONNACK 0x87 not authorized');
  const s = new FakeSession('subscriber', ['/a']);
  p4.open(s);
  p4.receive(s, gen({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
  p4.receive(s, gen({ cmd: 'suback', messageId: 1, granted: [128] }));
  assert.deepEqual(s.kinds(), ['connected', 'refuse']);
  assert.equal((s.events[1] as { cause: string }).cause, 'SUBACK 0x80 failure');
});

test('keepalive: a PINGREQ once subscribed', () => {
  const { s, p } = subscribed(4, 0);
  p.keepalive?.(s);
  assert.deepEqual(s.sent.at(-1), Buffer.from([0xc0, 0x00]));
});

test('framing: variable byte integers round-trip; arbitrary bytes never throw the decoder', () => {
  for (const n of [0, 1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455]) {
    const b = Buffer.alloc(5);
    const end = writeVarInt(b, 1, n);
    assert.equal(end - 1, varIntBytes(n));
    const frame = Buffer.concat([Buffer.from([0x30]), b.subarray(1, end), Buffer.alloc(Math.min(n, 100))]);
    assert.equal(packetEnd(frame, 0), n <= 100 ? frame.length : -1);
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const { s, p } = subscribed(4, 1);
      p.receive(s, Buffer.from(bytes));
    }),
    { numRuns: 3000 },
  );
});

test('MQTT 5 request/response: a request carries the response topic and its id as correlation data; the reply on that topic is matched by it; a responder answers to the address with the same correlation data; 3.1.1 has no mechanism', () => {
  const p = mqtt.create({ ...base, mqttVersion: 5, qos: 1, requests: true });
  const s = new FakeSession('subscriber', ['/p/s1/-']);
  p.open(s);
  p.receive(s, gen({ cmd: 'connack', reasonCode: 0, sessionPresent: false }, 5));
  const sub = parse(s.sent[1], 5) as Packet & { subscriptions: { topic: string }[] };
  assert.deepEqual(
    sub.subscriptions.map((x) => x.topic),
    ['/p/s1/-', 'mdbench/reply/test-1-0-7'],
  );
  const payload = Buffer.from('ping');
  const out = Buffer.alloc(p.requestBytes?.(s, '/p/s1/-', payload.length) ?? 0);
  assert.equal(p.writeRequest?.(out, 0, s, '/p/s1/-', 0xabcdef01, payload), out.length);
  const req = parse(out, 5) as Packet & { topic: string; qos: number; payload: Buffer; properties: { responseTopic: string; correlationData: Buffer } };
  assert.equal(req.topic, '/p/s1/-');
  assert.equal(req.qos, 1);
  assert.equal(req.properties.responseTopic, 'mdbench/reply/test-1-0-7');
  assert.equal(req.properties.correlationData.readUInt32BE(0), 0xabcdef01);
  assert.equal(req.payload.toString(), 'ping');
  // The responder: its topics in the shared subscription; the request becomes a reply address.
  const r = mqtt.create({ ...base, role: 'responder', mqttVersion: 5, qos: 1 });
  const rs = new FakeSession('responder', ['/p/s1/-']);
  r.open(rs);
  r.receive(rs, gen({ cmd: 'connack', reasonCode: 0, sessionPresent: false }, 5));
  const rsub = parse(rs.sent[1], 5) as Packet & { subscriptions: { topic: string }[] };
  assert.deepEqual(
    rsub.subscriptions.map((x) => x.topic),
    ['$share/mdbench-responders//p/s1/-'],
  );
  r.receive(rs, out);
  const asked = rs.events.find((e) => e.kind === 'request') as { replyTo: string; payload: Buffer };
  assert.ok(asked);
  const reply = Buffer.alloc(r.publishBytes(asked.replyTo, asked.payload.length));
  assert.equal(r.writePublish(reply, 0, rs, asked.replyTo, asked.payload, { publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0 }), reply.length);
  const back = parse(reply, 5) as Packet & { topic: string; properties: { correlationData: Buffer } };
  assert.equal(back.topic, 'mdbench/reply/test-1-0-7');
  // Back at the requester: answered by its id.
  p.receive(s, reply);
  assert.deepEqual(
    s.events.filter((e) => e.kind === 'answered'),
    [{ kind: 'answered', id: 0xabcdef01 }],
  );
  assert.equal(mqtt.create({ ...base, mqttVersion: 4 }).requestBytes, undefined);
});
