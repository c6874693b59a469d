import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FakeSession, splitAt } from '../../testing.js';
import { parseStomp } from './parser.js';
import { destinationOf, stomp } from './stomp.js';

const options = { role: 'subscriber' as const, qos: 0, mqttVersion: 4, keepaliveS: 20, window: 0, user: 'guest', password: 'guest' };

function subscribed(): { s: FakeSession; p: ReturnType<typeof stomp.create> } {
  const p = stomp.create(options);
  const s = new FakeSession('subscriber', ['/topic/p.s1.-', '/topic/p.s2.-']);
  p.open(s);
  p.receive(s, Buffer.from('CONNECTED\nversion:1.2\nheart-beat:20000,20000\n\n\0\n'));
  p.receive(s, Buffer.from('RECEIPT\nreceipt-id:subscribed\n\n\0'));
  return { s, p };
}

test('session: CONNECT with login, passcode and heart-beats; one SUBSCRIBE per topic, the last asking for the receipt that confirms them', () => {
  const { s } = subscribed();
  assert.equal(s.sent[0].toString(), 'CONNECT\naccept-version:1.2\nhost:/\nheart-beat:20000,20000\nlogin:guest\npasscode:guest\n\n\0');
  assert.equal(
    s.sent[1].toString(),
    'SUBSCRIBE\nid:1\ndestination:/topic/p.s1.-\nack:auto\n\n\0SUBSCRIBE\nid:2\ndestination:/topic/p.s2.-\nack:auto\nreceipt:subscribed\n\n\0',
  );
  assert.deepEqual(s.kinds(), ['connected', 'subscribed']);
});

test('MESSAGE frames with binary bodies (NULs inside, content-length), heart-beats between, split anywhere', () => {
  const body = Buffer.from([0xb5, 0x4d, 0x00, 0x01, 0x0a, 0x00, 0x42]);
  const frame = (b: Buffer) =>
    Buffer.concat([Buffer.from(`MESSAGE\nsubscription:1\ndestination:/topic/p.s1.-\nmessage-id:T_1\ncontent-length:${b.length}\n\n`), b, Buffer.from('\0\n')]);
  const stream = Buffer.concat([
    frame(body),
    Buffer.from('\n\r\n'),
    frame(Buffer.from('plain text')),
    Buffer.from('MESSAGE\r\ndestination:/topic/p.s2.-\r\n\r\nno length\0'),
  ]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }), (cuts) => {
      const { s, p } = subscribed();
      for (const c of splitAt(stream, cuts)) p.receive(s, c);
      const msgs = s.events.filter((e) => e.kind === 'message') as { topic: string; payload: Buffer }[];
      assert.deepEqual(
        msgs.map((m) => m.topic),
        ['/topic/p.s1.-', '/topic/p.s1.-', '/topic/p.s2.-'],
      );
      assert.deepEqual(msgs[0].payload, body);
      assert.equal(msgs[1].payload.toString(), 'plain text');
      assert.equal(msgs[2].payload.toString(), 'no length');
    }),
    { numRuns: 1000 },
  );
});

test('ERROR frames are refusals counted by their message header', () => {
  const p = stomp.create(options);
  const s = new FakeSession('subscriber', ['/topic/x']);
  p.open(s);
  p.receive(s, Buffer.from("ERROR\nmessage:Bad CONNECT\ncontent-type:text/plain\ncontent-length:32\n\nAccess refused for user 'guest'\n\0"));
  assert.deepEqual(s.events, [{ kind: 'refuse', cause: 'ERROR Bad CONNECT', detail: "Bad CONNECT: Access refused for user 'guest'" }]);
});

test('SEND: exactly publishBytes bytes with content-length; destinations from the template', () => {
  const p = stomp.create({ ...options, role: 'publisher' });
  assert.equal(p.topic?.('/p/s1/-'), '/topic/p.s1.-');
  assert.equal(destinationOf('/queue/{subject}', '/a/b'), '/queue//a/b');
  const payload = Buffer.from([1, 0, 2, 0, 3]);
  const n = p.publishBytes('/topic/p.s1.-', payload.length);
  const out = Buffer.alloc(n);
  assert.equal(p.writePublish(out, 0, new FakeSession('publisher'), '/topic/p.s1.-', payload, { publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0 }), n);
  assert.deepEqual(out, Buffer.concat([Buffer.from('SEND\ndestination:/topic/p.s1.-\ncontent-length:5\n\n'), payload, Buffer.from([0])]));
});

test('the parser never throws on arbitrary bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = parseStomp(
        Buffer.from(bytes),
        () => {},
        () => {},
      );
      assert.ok(r >= -1 && r <= bytes.length);
    }),
    { numRuns: 5000 },
  );
});

test('goodbye: a ready publisher sends DISCONNECT asking for a receipt (STOMP 1.2: no close before it); one not yet connected sends nothing; the RECEIPT is no error', () => {
  const p = stomp.create({ ...options, role: 'publisher' });
  const early = new FakeSession('publisher');
  p.open(early);
  p.goodbye?.(early);
  assert.equal(early.sent.length, 1, 'only the CONNECT');
  const s = new FakeSession('publisher');
  p.open(s);
  p.receive(s, Buffer.from('CONNECTED\nversion:1.2\nheart-beat:20000,20000\n\n\0'));
  p.goodbye?.(s);
  assert.equal(s.sent.at(-1)?.toString(), 'DISCONNECT\nreceipt:goodbye\n\n\0');
  p.receive(s, Buffer.from('RECEIPT\nreceipt-id:goodbye\n\n\0'));
  assert.deepEqual(s.kinds(), ['connected']);
});

test('requests: a SEND with reply-to a temporary queue and the id as correlation-id; the reply (a MESSAGE with that correlation-id, not on a subscribed topic) is matched by it; a responder shares one queue per topic and sends the payload back to the reply-to with the same correlation-id', () => {
  const p = stomp.create({ ...options, requests: true });
  const s = new FakeSession('subscriber', ['/topic/p.s1.-']);
  p.open(s);
  p.receive(s, Buffer.from('CONNECTED\nversion:1.2\n\n\0RECEIPT\nreceipt-id:subscribed\n\n\0'));
  const payload = Buffer.from('ping');
  const out = Buffer.alloc(p.requestBytes?.(s, '/topic/p.s1.-', payload.length) ?? 0);
  const end = p.writeRequest?.(out, 0, s, '/topic/p.s1.-', 42, payload) ?? 0;
  assert.ok(end <= out.length);
  assert.equal(out.toString('utf8', 0, end), 'SEND\ndestination:/topic/p.s1.-\nreply-to:/temp-queue/mdbench\ncorrelation-id:42\ncontent-length:4\n\nping\0');
  const r = stomp.create({ ...options, role: 'responder' });
  const rs = new FakeSession('responder', ['/topic/p.s1.-']);
  r.open(rs);
  r.receive(rs, Buffer.from('CONNECTED\nversion:1.2\n\n\0'));
  assert.match(rs.sent[1].toString(), /^SUBSCRIBE\nid:1\ndestination:\/topic\/p\.s1\.-\nack:auto\nx-queue-name:mdbench-responders\._topic_p\.s1\.-\n/);
  // As RabbitMQ hands the request on: its reply-to rewritten to the requester's reply queue.
  r.receive(
    rs,
    Buffer.from('MESSAGE\nsubscription:1\ndestination:/topic/p.s1.-\nreply-to:/reply-queue/amq.gen-x\ncorrelation-id:42\ncontent-length:4\n\nping\0'),
  );
  const asked = rs.events.find((e) => e.kind === 'request') as { replyTo: string; payload: Buffer };
  const reply = Buffer.alloc(r.publishBytes(asked.replyTo, asked.payload.length));
  r.writePublish(reply, 0, rs, asked.replyTo, asked.payload, { publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0 });
  assert.equal(reply.toString(), 'SEND\ndestination:/reply-queue/amq.gen-x\ncorrelation-id:42\ncontent-length:4\n\nping\0');
  p.receive(s, Buffer.from('MESSAGE\nsubscription:/temp-queue/mdbench\ndestination:/reply-queue/amq.gen-x\ncorrelation-id:42\ncontent-length:4\n\nping\0'));
  assert.deepEqual(
    s.events.filter((e) => e.kind === 'answered'),
    [{ kind: 'answered', id: 42 }],
  );
});
