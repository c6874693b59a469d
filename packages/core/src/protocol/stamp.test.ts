import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BINARY_STAMP_BYTES, TEXT_STAMP_BYTES, newStamp, readStamp, writeStamp, type Stamp } from './stamp.js';

const stampArb = fc.record({
  publisherId: fc.integer({ min: 0, max: 0xffffffff }),
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  scheduledUs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  sentUs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
});

test('both forms round-trip every stamp, at the start of a payload of exactly its size or more', () => {
  fc.assert(
    fc.property(stampArb, fc.constantFrom('binary' as const, 'text' as const), fc.integer({ min: 0, max: 40 }), (st, format, extra) => {
      const size = (format === 'binary' ? BINARY_STAMP_BYTES : TEXT_STAMP_BYTES) + extra;
      const buf = Buffer.alloc(size, 0x41);
      writeStamp(buf, 0, st, format);
      const out = newStamp();
      assert.ok(readStamp(buf, 0, size, out));
      assert.deepEqual(out, { ...st });
      assert.equal(buf.length, size, 'the payload keeps its size');
    }),
    { numRuns: 2000 },
  );
});

test('the text form is printable ASCII', () => {
  const buf = Buffer.alloc(TEXT_STAMP_BYTES);
  writeStamp(buf, 0, { publisherId: 0xdeadbeef, seq: 12, scheduledUs: 1_795_000_000_000_000, sentUs: 1_795_000_000_000_123 }, 'text');
  assert.match(buf.toString('latin1'), /^MDB1 deadbeef 0000000c [0-9a-f]{16} [0-9a-f]{16} $/);
});

test('any other bytes are no stamp, never an exception', () => {
  const out: Stamp = newStamp();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const b = Buffer.from(bytes);
      const ok = readStamp(b, 0, b.length, out);
      if (ok) assert.ok(out.scheduledUs <= Number.MAX_SAFE_INTEGER);
    }),
    { numRuns: 5000 },
  );
  assert.equal(readStamp(Buffer.from("hello from someone else's publisher, no stamp here at all......"), 0, 64, out), false);
  assert.equal(readStamp(Buffer.alloc(10), 0, 10, out), false);
});
