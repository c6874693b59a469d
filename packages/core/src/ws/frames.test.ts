import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Sender } from 'ws';
import { Opcode, WsProtocolError, encodeClientFrame, encodeServerFrame, readFrames, readServerFrames, type FrameSink } from './frames.js';

const collect = (got: [number, Buffer][]): FrameSink => ({ onFrame: (_fin, op, p) => got.push([op, Buffer.from(p)]) });
const noop: FrameSink = { onFrame() {} };

test('server frames split at every byte boundary parse the same (frames encoded by ws)', () => {
  const payloads = [Buffer.alloc(3, 1), Buffer.alloc(300, 2), Buffer.alloc(70000, 3), Buffer.alloc(0)];
  const frames = Buffer.concat(payloads.flatMap((p) => Sender.frame(p, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: false }) as Buffer[]));
  for (const cut of [1, 2, 3, 4, 5, 9, 10, 11, 300, 311, 70000, frames.length - 1]) {
    const got: [number, Buffer][] = [];
    const first = frames.subarray(0, cut);
    const used = readServerFrames(first, 0, first.length, 1 << 20, collect(got));
    const rest = Buffer.concat([first.subarray(used), frames.subarray(cut)]);
    assert.equal(readServerFrames(rest, 0, rest.length, 1 << 20, collect(got)), rest.length, `cut ${cut}`);
    assert.deepEqual(
      got.map(([op, p]) => [op, p.length]),
      [
        [2, 3],
        [2, 300],
        [2, 70000],
        [2, 0],
      ],
      `cut ${cut}`,
    );
  }
});

test('our server frames are what ws sends, byte for byte, in every length class', () => {
  for (const n of [0, 125, 126, 65535, 65536]) {
    const p = Buffer.alloc(n, 7);
    assert.deepEqual(
      encodeServerFrame(Opcode.BINARY, p),
      Buffer.concat(Sender.frame(p, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: false }) as Buffer[]),
    );
  }
});

test('masked client frames are unmasked in place, split anywhere; unmasked ones are refused', () => {
  const payloads = [Buffer.from('hello'), Buffer.alloc(200, 9), Buffer.alloc(70_000, 5)];
  const stream = Buffer.concat(payloads.map((p) => encodeClientFrame(Opcode.BINARY, p, 'random')));
  for (const cut of [1, 2, 6, 7, 11, 215, stream.length - 3]) {
    const got: [number, Buffer][] = [];
    const a = Buffer.from(stream.subarray(0, cut));
    const used = readFrames(a, 0, a.length, 1 << 20, true, collect(got));
    const rest = Buffer.concat([a.subarray(used), stream.subarray(cut)]);
    readFrames(rest, 0, rest.length, 1 << 20, true, collect(got));
    assert.deepEqual(
      got.map(([, p]) => p),
      payloads,
      `cut ${cut}`,
    );
  }
  const plain = encodeServerFrame(Opcode.BINARY, Buffer.from('x'));
  assert.throws(
    () => readFrames(plain, 0, plain.length, 100, true, noop),
    (e: unknown) => e instanceof WsProtocolError && e.closeCode === 1002 && /not masked/.test(e.message),
  );
});

test('frames over the payload limit (from the header alone), with reserved bits or unknown opcodes are refused', () => {
  assert.throws(
    () => readServerFrames(Buffer.from([0x82, 0x7e, 0xff, 0xff]), 0, 4, 1000, noop),
    (e: unknown) => e instanceof WsProtocolError && e.closeCode === 1009,
  );
  assert.throws(() => readServerFrames(Buffer.from([0xc2, 0x00]), 0, 2, 1000, noop), /reserved bits/);
  assert.throws(() => readServerFrames(Buffer.from([0x83, 0x00]), 0, 2, 1000, noop), /unknown opcode/);
  assert.throws(() => readServerFrames(Buffer.from([0x09, 0x7e, 0x00, 0x80]), 0, 4, 1000, noop), /control frame/);
});

test('fuzz: both readers consume or refuse any bytes, never another exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, masked) => {
      const buf = Buffer.from(bytes);
      try {
        const used = readFrames(buf, 0, buf.length, 1 << 16, masked, noop);
        assert.ok(used >= 0 && used <= buf.length);
      } catch (err) {
        assert.ok(err instanceof WsProtocolError, `${(err as Error).message}`);
      }
    }),
    { numRuns: 5000 },
  );
});

test("RSV1 marks a compressed message only where permessage-deflate was agreed, and only on a message's first frame", () => {
  const seen: boolean[] = [];
  const sink: FrameSink = { onFrame: (_fin, _op, _p, compressed) => seen.push(compressed) };
  const data = encodeServerFrame(Opcode.BINARY, Buffer.from('abc'), true);
  assert.throws(() => readServerFrames(data, 0, data.length, 1000, sink), /reserved bits/);
  assert.equal(readServerFrames(data, 0, data.length, 1000, sink, true), data.length);
  assert.deepEqual(seen, [true]);
  const ping = encodeServerFrame(Opcode.PING, Buffer.alloc(0), true);
  assert.throws(() => readServerFrames(ping, 0, ping.length, 1000, sink, true), /RSV1 set on a control/);
  const cont = encodeServerFrame(Opcode.CONTINUATION, Buffer.from('x'), true);
  assert.throws(() => readServerFrames(cont, 0, cont.length, 1000, sink, true), /RSV1 set on a control or continuation/);
  const rsv2 = Buffer.from([0xa2, 0x00]);
  assert.throws(() => readServerFrames(rsv2, 0, 2, 1000, sink, true), /reserved bits/);
});
