import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FakeSession } from '../../testing.js';
import type { ProtocolOptions } from '../protocol.js';
import { readMessage } from './codec.js';
import { graphqlWs } from './graphql-ws.js';

const RUNS = Number(process.env.MDBENCH_FUZZ_RUNS ?? 300);
const options: ProtocolOptions = { role: 'subscriber', qos: 0, mqttVersion: 4, keepaliveS: 30, window: 0 };
const json = (s: FakeSession) => s.sent.map((b) => JSON.parse(b.toString()));
const next = (id: string, data: unknown) => Buffer.from(JSON.stringify({ id, type: 'next', payload: { data } }));

function subscribed(topics = ['/p/s1/-', '/p/s2/-'], o: Partial<ProtocolOptions> = {}) {
  const p = graphqlWs.create({ ...options, ...o });
  const s = new FakeSession('subscriber', topics);
  p.open(s);
  p.receive(s, Buffer.from('{"type":"connection_ack"}'));
  p.receive(s, Buffer.from('{"type":"pong"}'));
  return { p, s };
}

test('subscriber: connection_init with the login, a subscribe per subject with $subject, a ping; subscribed at the pong', () => {
  const { s } = subscribed(['/p/s1/-', '/p/s2/-'], { user: 'u', password: 'pw', token: 't' });
  const sent = json(s);
  assert.deepEqual(sent[0], { type: 'connection_init', payload: { user: 'u', password: 'pw', token: 't' } });
  assert.deepEqual(sent[1], {
    id: '1',
    type: 'subscribe',
    payload: { query: 'subscription ($subject: String!) { messages(subject: $subject) }', variables: { subject: '/p/s1/-' } },
  });
  assert.equal(sent[2].payload.variables.subject, '/p/s2/-');
  assert.deepEqual(sent[3], { type: 'ping' });
  assert.deepEqual(
    s.events.map((e) => e.kind),
    ['connected', 'subscribed'],
  );
});

test("messages: the first field of a next's data, on the subject of its operation; server pings answered", () => {
  const { p, s } = subscribed();
  p.receive(s, next('2', { messages: 'MDB1 hello' }));
  assert.deepEqual(s.events.at(-1), { kind: 'message', topic: '/p/s2/-', payload: Buffer.from('MDB1 hello') });
  p.receive(s, Buffer.from('{"type":"ping"}'));
  assert.deepEqual(json(s).at(-1), { type: 'pong' });
  p.receive(s, next('9', { messages: 'x' }));
  assert.equal(s.events.at(-1)?.kind, 'malformed');
  p.receive(s, next('1', { messages: 42 }));
  assert.equal(s.events.at(-1)?.kind, 'malformed');
});

test('errors: a refused subscription is a refusal with its message; a next with errors is an error by message', () => {
  const { p, s } = subscribed();
  p.receive(s, Buffer.from(JSON.stringify({ id: '1', type: 'error', payload: [{ message: 'Cannot query field "nope" on type "Subscription".' }] })));
  assert.deepEqual(s.events.at(-1), {
    kind: 'refuse',
    cause: 'graphql: Cannot query field "nope" on type "Subscription".',
    detail: 'Cannot query field "nope" on type "Subscription".',
  });
  p.receive(s, Buffer.from(JSON.stringify({ id: '2', type: 'next', payload: { errors: [{ message: 'boom' }] } })));
  assert.deepEqual(s.events.at(-1), { kind: 'error', cause: 'graphql: boom', detail: 'boom' });
});

test('publisher: each message a mutation of its own, ids fixed-width and never repeated, exactly publishBytes, the payload as $payload', () => {
  const p = graphqlWs.create({ ...options, role: 'publisher' });
  const s = new FakeSession('publisher');
  p.open(s);
  p.receive(s, Buffer.from('{"type":"connection_ack"}'));
  const payload = Buffer.from(`MDB1 ${'a'.repeat(60)}`);
  const out = Buffer.alloc(1000);
  const ids = new Set<string>();
  for (let k = 0; k < 3; k++) {
    const end = p.writePublish(out, 5, s, '/p/"s1"/-', payload, { publisherId: 1, seq: 1, scheduledUs: 0, sentUs: 0 });
    assert.equal(end - 5, p.publishBytes('/p/"s1"/-', payload.length));
    const m = JSON.parse(out.subarray(5, end).toString());
    assert.equal(m.type, 'subscribe');
    assert.match(m.id, /^\d{10}$/);
    ids.add(m.id);
    assert.deepEqual(m.payload.variables, { subject: '/p/"s1"/-', payload: payload.toString() });
  }
  assert.equal(ids.size, 3);
});

test('bad templates: a subscription without $subject, a mutation without $payload: one line each, located at their option', () => {
  assert.throws(
    () => graphqlWs.create({ ...options, graphql: { subscription: 'subscription { messages }', publish: 'x' } }),
    (e: Error & { option?: string }) => e.option === 'gqlSubscription' && /uses no \$subject/.test(e.message),
  );
  assert.throws(
    () =>
      graphqlWs.create({
        ...options,
        role: 'publisher',
        graphql: { subscription: 's', publish: 'mutation ($subject: String!) { publish(subject: $subject) }' },
      }),
    (e: Error & { option?: string }) => e.option === 'gqlPublish' && /uses no \$payload/.test(e.message),
  );
});

test('fuzz: any message cut at any point is read or refused as malformed, never thrown; the session goes on', () => {
  const whole = [
    '{"type":"ping"}',
    JSON.stringify({ id: '1', type: 'next', payload: { data: { messages: 'MDB1 x' } } }),
    JSON.stringify({ id: '2', type: 'error', payload: [{ message: 'e' }] }),
    '{"id":"1","type":"complete"}',
  ];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...whole), fc.nat(120)), { maxLength: 20 }), fc.string(), (msgs, junk) => {
      assert.ok(typeof readMessage(junk) === 'string' || typeof readMessage(junk) === 'object');
      const { p, s } = subscribed();
      for (const [m, cut] of msgs) p.receive(s, Buffer.from(m.slice(0, cut)));
      p.receive(s, next('1', { messages: 'last' }));
      assert.equal(s.messages().at(-1), 'last');
    }),
    { numRuns: RUNS },
  );
});

test('hostile input: an error nested deeper than the stack reads as a malformed message, not a thrown session', () => {
  const deep = `{"type":"error","id":"1","payload":[${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}]}`;
  assert.equal(readMessage(deep), 'graphql-ws message nested too deeply to read');
  const shallow = readMessage('{"type":"error","id":"1","payload":[{"a":{"b":1}}]}');
  assert.deepEqual(shallow, { type: 'error', id: '1', errors: [{ message: '{"a":{"b":1}}' }] });
});
