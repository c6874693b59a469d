import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HubBatcher, HubKind, HubReader, encodeHub } from './codec.js';

test('frames split anywhere and packed together come out whole, in order', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }), (bodies, cuts) => {
      const stream = Buffer.concat(bodies.map((b, i) => encodeHub((i % 6) + 1, Buffer.from(b))));
      const got: [number, Buffer][] = [];
      const r = new HubReader((kind, body) => got.push([kind, Buffer.from(body)]));
      let at = 0;
      for (const c of cuts) {
        r.push(stream.subarray(at, Math.min(stream.length, at + c)));
        at = Math.min(stream.length, at + c);
      }
      r.push(stream.subarray(at));
      assert.deepEqual(
        got,
        bodies.map((b, i) => [(i % 6) + 1, Buffer.from(b)]),
      );
    }),
    { numRuns: 500 },
  );
});

test('the batcher writes what a turn pushed in one write', async () => {
  const writes: Buffer[] = [];
  const b = new HubBatcher((d) => writes.push(d));
  b.push(encodeHub(HubKind.PUBLISH, Buffer.from('a')));
  b.push(encodeHub(HubKind.PUBLISH, Buffer.from('b')));
  assert.equal(writes.length, 0);
  await new Promise((r) => setImmediate(r));
  assert.equal(writes.length, 1);
  assert.equal(writes[0].length, 12);
});
