import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Opcode, encodeClientFrame, encodeServerFrame, readFrames } from './frames.js';
import { PartialFrame, frameBytes } from './partial-frame.js';

const RUNS = Number(process.env.MDBENCH_FUZZ_RUNS ?? 300);

/** Feeds `chunks` as a connection does (PartialFrame for what a read leaves unfinished); returns the payloads read. */
function feed(chunks: Buffer[], masked: boolean): Buffer[] {
  const out: Buffer[] = [];
  const sink = { onFrame: (_fin: boolean, _op: number, p: Buffer) => out.push(Buffer.from(p)) };
  let pending: PartialFrame | null = null;
  for (const chunk of chunks) {
    let data: Buffer | null = Buffer.from(chunk);
    if (pending) {
      data = pending.push(data);
      if (data === null) continue;
      pending = null;
    }
    const used = readFrames(data, 0, data.length, 1 << 24, masked, sink);
    if (used < data.length) pending = new PartialFrame(data.subarray(used), masked);
  }
  return out;
}

test('frames of every length class cut at arbitrary points are read whole, client and server side', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.nat({ max: 125 }), fc.integer({ min: 126, max: 70_000 })), { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 30 }),
      fc.boolean(),
      (sizes, rawCuts, masked) => {
        const payloads = sizes.map((n, i) => Buffer.alloc(n, i + 1));
        const stream = Buffer.concat(payloads.map((p) => (masked ? encodeClientFrame(Opcode.BINARY, p, 'random') : encodeServerFrame(Opcode.BINARY, p))));
        const cuts = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const c of [...cuts, stream.length]) if (c > at) chunks.push(stream.subarray(at, (at = c)));
        assert.deepEqual(feed(chunks, masked), payloads);
      },
    ),
    { numRuns: RUNS },
  );
});

test('a frame in 1-byte pieces is joined only while its header is incomplete, then once at its end', () => {
  const frame = encodeServerFrame(Opcode.BINARY, Buffer.alloc(1000, 9));
  let pf = new PartialFrame(frame.subarray(0, 1), false);
  let joins = 0;
  for (let i = 1; i < frame.length; i++) {
    const joined = pf.push(frame.subarray(i, i + 1));
    if (joined === null) continue;
    joins++;
    if (joined.length < frame.length) pf = new PartialFrame(joined, false);
    else assert.deepEqual(joined, frame);
  }
  // The 4-byte header is read at 2, 3 and 4 bytes held; then the payload is joined once, at the end.
  assert.equal(joins, 3 + 1);
  assert.equal(frameBytes(frame, false), 1004);
  assert.equal(frameBytes(frame.subarray(0, 3), false), 0);
});
