import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FakeSession } from '../../testing.js';
import {
  FrameType,
  Msg,
  decodeMessage,
  decodeSubjectList,
  encodeError,
  encodeMessage,
  encodeSubjectList,
  encodeTimeRequest,
  encodeTimeResponse,
  messageSubject,
  readU64,
  type MessageFields,
} from './codec.js';
import { native } from './native.js';

const options = { role: 'subscriber' as const, qos: 0, mqttVersion: 4, keepaliveS: 30, window: 0 };
const blank = (): MessageFields => ({ subject: '', publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0, payloadBytes: 0 });

test('a message frame round-trips every field; the subject is readable without decoding the rest', () => {
  const now = Date.now() * 1000 + 123;
  const frame = encodeMessage({ subject: '/p/s42/-', publisherId: 0xdeadbeef, seq: 4_000_000_000, scheduledUs: now, sentUs: now + 17 }, Buffer.alloc(512, 'x'));
  assert.equal(frame.length, Msg.HEADER_BYTES + 8 + 512);
  assert.equal(frame[0], FrameType.MESSAGE);
  assert.equal(messageSubject(frame), '/p/s42/-');
  assert.deepEqual(decodeMessage(frame, blank()), {
    subject: '/p/s42/-',
    publisherId: 0xdeadbeef,
    seq: 4_000_000_000,
    scheduledUs: now,
    sentUs: now + 17,
    payloadBytes: 512,
  });
});

test('subject lists and time frames round-trip', () => {
  const f = encodeSubjectList(FrameType.SUBSCRIBE, ['/a', '/ü/b', '']);
  assert.deepEqual(decodeSubjectList(f), ['/a', '/ü/b', '']);
  const res = encodeTimeResponse(encodeTimeRequest(1_700_000_000_000_000), 1_700_000_000_000_500);
  assert.deepEqual([res[0], readU64(res, 4), readU64(res, 12)], [FrameType.TIME_RESPONSE, 1_700_000_000_000_000, 1_700_000_000_000_500]);
});

test('session: SUBSCRIBE with every topic on open, SUBACK acknowledges; a message reports its header stamp', () => {
  const p = native.create(options);
  const s = new FakeSession('subscriber', ['/p/s1/-', '/p/s2/-']);
  p.open(s);
  assert.deepEqual(decodeSubjectList(s.sent[0]), ['/p/s1/-', '/p/s2/-']);
  p.receive(s, encodeSubjectList(FrameType.SUBACK, ['/p/s1/-', '/p/s2/-']));
  p.receive(s, encodeMessage({ subject: '/p/s2/-', publisherId: 9, seq: 3, scheduledUs: 100, sentUs: 150 }, Buffer.alloc(64)));
  assert.deepEqual(s.events, [
    { kind: 'connected' },
    { kind: 'subscribed' },
    { kind: 'stamped', topic: '/p/s2/-', stamp: { publisherId: 9, seq: 3, scheduledUs: 100, sentUs: 150 }, bytes: 64 },
  ]);
});

test('the decoder never throws: any bytes give one event', () => {
  const p = native.create(options);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, asMessage) => {
      const buf = Buffer.from(bytes);
      if (asMessage && buf.length >= 2) {
        buf[0] = FrameType.MESSAGE;
        buf[1] = 1;
      }
      const s = new FakeSession('subscriber', ['/a']);
      p.receive(s, buf);
      assert.ok(s.events.length <= 1);
      if (buf[0] !== FrameType.TIME_RESPONSE || buf[1] !== 1) assert.equal(s.events.length, 1, JSON.stringify(bytes));
    }),
    { numRuns: 3000 },
  );
});

test('truncated and unknown frames are reported as malformed; ERROR frames as errors with their code', () => {
  const p = native.create(options);
  const s = new FakeSession('subscriber', ['/p/s1/-']);
  const frame = encodeMessage({ subject: '/p/s1/-', publisherId: 1, seq: 1, scheduledUs: 1, sentUs: 1 }, Buffer.alloc(4));
  for (const b of [frame.subarray(0, 20), frame.subarray(0, 30), Buffer.from([3, 9]), Buffer.from([0x55, 1])]) p.receive(s, b);
  p.receive(s, encodeError(4001, 'subject limit reached'));
  assert.deepEqual(
    s.events.map((e) => ('detail' in e ? e.detail : '')),
    [
      'message frame shorter than its header',
      'message subject runs past the frame',
      'protocol version 9 is not 1',
      'unknown frame type 0x55',
      'subject limit reached',
    ],
  );
  assert.deepEqual(s.events.at(-1), { kind: 'error', cause: 'server error 4001', detail: 'subject limit reached' });
});

test('writePublish writes exactly publishBytes: header with the stamp, subject, payload', () => {
  const p = native.create({ ...options, role: 'publisher' });
  const payload = Buffer.alloc(100, 'z');
  const n = p.publishBytes('/p/ü/-', 100);
  const out = Buffer.alloc(n);
  assert.equal(p.writePublish(out, 0, new FakeSession('publisher'), '/p/ü/-', payload, { publisherId: 5, seq: 6, scheduledUs: 7, sentUs: 8 }), n);
  assert.deepEqual(decodeMessage(out, blank()), { subject: '/p/ü/-', publisherId: 5, seq: 6, scheduledUs: 7, sentUs: 8, payloadBytes: 100 });
});
