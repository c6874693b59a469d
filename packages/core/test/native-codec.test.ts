import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FrameType,
  Msg,
  NativeProtocol,
  decodeMessage,
  decodeSubjectList,
  encodeMessage,
  encodeSubjectList,
  encodeError,
  encodeTimeRequest,
  encodeTimeResponse,
  messageSubject,
  type InboundSink,
  type MessageFields,
} from '../src/index.js';

const blank = (): MessageFields => ({ subject: '', publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0, payloadBytes: 0 });

test('a message frame round-trips every field; the subject is readable without decoding the rest', () => {
  const now = Date.now() * 1000 + 123;
  const frame = encodeMessage({ subject: '/p/s42/-', publisherId: 0xdeadbeef, seq: 4_000_000_000, scheduledUs: now, sentUs: now + 17 }, Buffer.alloc(512, 'x'));
  assert.equal(frame.length, Msg.HEADER_BYTES + 8 + 512);
  assert.equal(frame[0], FrameType.MESSAGE);
  assert.equal(messageSubject(frame), '/p/s42/-');
  assert.deepEqual(decodeMessage(frame, blank()), { subject: '/p/s42/-', publisherId: 0xdeadbeef, seq: 4_000_000_000, scheduledUs: now, sentUs: now + 17, payloadBytes: 512 });
});

test('subject lists and time frames round-trip', () => {
  const f = encodeSubjectList(FrameType.SUBSCRIBE, ['/a', '/ü/b', '']);
  assert.deepEqual(decodeSubjectList(f), ['/a', '/ü/b', '']);
  const req = encodeTimeRequest(1_700_000_000_000_000);
  const res = encodeTimeResponse(req, 1_700_000_000_000_500);
  const got: number[] = [];
  new NativeProtocol().decode(res, { ...ignore, onTimeResponse: (c, s) => got.push(c, s) });
  assert.deepEqual(got, [1_700_000_000_000_000, 1_700_000_000_000_500]);
});

const ignore: InboundSink = { onMessage() {}, onSubscribed() {}, onTimeResponse() {}, onServerError() {}, onMalformed() {} };

test('the decoder never throws: any bytes give a message, an event or a malformed report', () => {
  const proto = new NativeProtocol();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, asMessage) => {
      const buf = Buffer.from(bytes);
      if (asMessage && buf.length >= 2) {
        buf[0] = FrameType.MESSAGE;
        buf[1] = 1;
      }
      let events = 0;
      proto.decode(buf, {
        onMessage: () => events++,
        onSubscribed: () => events++,
        onTimeResponse: () => events++,
        onServerError: () => events++,
        onMalformed: () => events++,
      });
      assert.equal(events, 1);
    }),
  );
});

test('truncated frames are reported as malformed', () => {
  const proto = new NativeProtocol();
  const frame = encodeMessage({ subject: '/p/s1/-', publisherId: 1, seq: 1, scheduledUs: 1, sentUs: 1 }, Buffer.alloc(4));
  const reasons: string[] = [];
  const sink = { ...ignore, onMalformed: (r: string) => reasons.push(r) };
  proto.decode(frame.subarray(0, 20), sink);
  proto.decode(frame.subarray(0, 30), sink);
  proto.decode(Buffer.from([3, 9]), sink);
  proto.decode(Buffer.from([0x55, 1]), sink);
  assert.deepEqual(reasons, ['message frame shorter than its header', 'message subject runs past the frame', 'protocol version 9 is not 1', 'unknown frame type 0x55']);
});

test('an ERROR frame reaches the sink with its code and text', () => {
  const got: [number, string][] = [];
  new NativeProtocol().decode(encodeError(4001, 'subject limit reached'), { ...ignore, onServerError: (c, t) => got.push([c, t]) });
  assert.deepEqual(got, [[4001, 'subject limit reached']]);
});
