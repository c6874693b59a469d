import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { deflateRaw, inflateRaw, zlibEngines } from './zlib-engine.js';

const sample = (n: number, seed: number) => {
  let x = seed;
  return Buffer.from(Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0), 97 + ((x >>> 16) % 8))));
};
const SYNC = zlib.constants.Z_SYNC_FLUSH;

for (const persistent of [true, false]) {
  test(`${persistent ? 'the per-process stream' : 'the one-shot functions'}: the same bytes as zlib's own, messages of every size, errors recovered from`, () => {
    zlibEngines.persistent = persistent;
    try {
      for (const n of [0, 1, 200, 4096, 70_000, 300_000]) {
        for (const bits of [9, 12, 15]) {
          const m = sample(n, n + bits);
          const packed = deflateRaw(m, bits);
          assert.deepEqual(packed, zlib.deflateRawSync(m, { finishFlush: SYNC, windowBits: bits }), `${n} bytes at ${bits} bits`);
          assert.deepEqual(inflateRaw(packed.subarray(0, -4), 1 << 20, null), m);
        }
      }
      // Output past the limit stops the inflation (null), however small the input.
      const bomb = deflateRaw(Buffer.alloc(4 << 20), 15);
      assert.equal(inflateRaw(bomb.subarray(0, -4), 1 << 20, null), null);
      // Bytes that are not deflate throw; the next message inflates as if nothing happened.
      assert.throws(() => inflateRaw(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]), 1 << 20, null));
      const m = sample(5000, 7);
      assert.deepEqual(inflateRaw(deflateRaw(m, 15).subarray(0, -4), 1 << 20, null), m);
      // Each message stands alone: the stream holds nothing of the one before.
      const again = deflateRaw(m, 15);
      assert.deepEqual(again, deflateRaw(m, 15));
    } finally {
      zlibEngines.persistent = true;
    }
  });
}
