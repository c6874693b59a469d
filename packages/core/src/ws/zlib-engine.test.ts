import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { deflateRaw, inflateRaw, persistentZlibAvailable, zlibEngines } from './zlib-engine.js';

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

test('this Node exposes the zlib handle the per-process streams drive (else they would fall back, slower, to the one-shot functions)', () => {
  assert.equal(persistentZlibAvailable(), true);
});

test('differential fuzzing against the one-shot functions: the same output or the same refusal, each case in time, never a hang', () => {
  // A hang spins synchronously, so the cases run in a child that a timeout can kill.
  const cases = Number(process.env.MDBENCH_ZLIB_FUZZ_CASES ?? 4000);
  const script = new URL('../test-support/zlib-differential.mjs', import.meta.url).pathname;
  const seed = Date.now() % 1_000_000;
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, String(cases), String(seed)], { encoding: 'utf8', timeout: 60_000 + cases * 5 });
  assert.equal(r.signal, null, `the fuzzer was killed by ${r.signal} (a hang?) at seed ${seed}: ${r.stdout}`);
  const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  assert.equal(result.ok, true, `seed ${seed}: ${r.stdout}${r.stderr}`);
  assert.equal(result.cases, cases);
});
