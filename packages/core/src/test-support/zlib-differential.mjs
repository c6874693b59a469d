// Differential fuzzing of the per-process zlib engine against Node's one-shot zlib functions, run
// in a child process so that a hang is a timeout of the parent, not a frozen test runner.
// Usage: node --import tsx zlib-differential.mjs CASES SEED; prints one JSON line.
import zlib from 'node:zlib';
import { deflateRaw, inflateRaw } from '../ws/zlib-engine.js';

const SYNC = zlib.constants.Z_SYNC_FLUSH;
const CASE_BUDGET_MS = 2000;
const cases = Number(process.argv[2] ?? 10_000);
let seed = Number(process.argv[3] ?? 1) >>> 0 || 1;
const next = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};
const below = (n) => next() % n;
const bytes = (n, alphabet) => Buffer.from(Array.from({ length: n }, () => (alphabet ? 97 + below(alphabet) : below(256))));
const text = () => bytes(below(16) === 0 ? below(70_000) : below(600), 1 + below(20));
const packed = (opts) => zlib.deflateRawSync(text(), { windowBits: 9 + below(7), level: below(10), ...opts });
const WS_TAIL = 4; // 00 00 ff ff, stripped by a WebSocket sender

/** One input of each shape in turn: arbitrary, sync-flushed, final-block with trailing bytes, empty blocks, concatenated, corrupted. */
function input(kind) {
  switch (kind) {
    case 0:
      return bytes(below(64));
    case 1:
      return packed({ finishFlush: SYNC }).subarray(0, below(2) ? -WS_TAIL : undefined);
    case 2:
      return Buffer.concat([packed({}), bytes(below(16))]);
    case 3:
      return Buffer.concat(Array.from({ length: 1 + below(4) }, () => Buffer.from([0, 0, 0, 0xff, 0xff])).concat(below(2) ? [packed({})] : []));
    case 4:
      return Buffer.concat([packed({ finishFlush: SYNC }), packed({ finishFlush: SYNC }).subarray(0, -WS_TAIL)]);
    default: {
      const b = Buffer.from(packed({ finishFlush: below(2) ? SYNC : undefined }));
      for (let i = 1 + below(3); i > 0 && b.length > 0; i--) b[below(b.length)] ^= 1 << below(8);
      return below(2) ? b : b.subarray(0, below(b.length + 1));
    }
  }
}

const outcome = (f) => {
  try {
    const r = f();
    return r === null ? 'over the limit' : r.toString('base64');
  } catch (err) {
    return err.code === 'ERR_BUFFER_TOO_LARGE' ? 'over the limit' : 'error';
  }
};

// RFC 7692 section 7.2.3.4: "Hello" in a final block, followed by an empty stored block's bytes.
const rfc = inflateRaw(Buffer.from('f348cdc9c9070000', 'hex'), 1024, null);
if (rfc?.toString() !== 'Hello') {
  console.log(JSON.stringify({ ok: false, what: `RFC 7692 7.2.3.4 example gave ${rfc}` }));
  process.exit(1);
}

let slowest = 0;
const kinds = new Array(6).fill(0);
for (let i = 0; i < cases; i++) {
  const kind = i % 6;
  const data = input(kind);
  const limit = below(3) === 0 ? 1 + below(256) : 1 << 20;
  const t0 = performance.now();
  const ours = outcome(() => inflateRaw(data, limit, null));
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  const theirs = outcome(() => zlib.inflateRawSync(data, { finishFlush: SYNC, windowBits: 15, maxOutputLength: limit }));
  const fail = (what) => {
    console.log(JSON.stringify({ ok: false, case: i, kind, what, input: data.toString('hex').slice(0, 400) }));
    process.exit(1);
  };
  if (ours !== theirs) fail(`inflate: ${ours.slice(0, 40)} vs zlib ${theirs.slice(0, 40)}`);
  if (ms > CASE_BUDGET_MS) fail(`inflate took ${ms.toFixed(0)} ms`);
  if (kind === 1) {
    // Deflate: what zlib's one-shot inflate reads back is the message (the bytes may differ from a
    // fresh stream's: a reset stream keeps zlib's internal tuning, and deflate output is not unique).
    const plain = text();
    const bits = 9 + below(7);
    const back = outcome(() => zlib.inflateRawSync(deflateRaw(plain, bits), { finishFlush: SYNC, windowBits: bits }));
    if (back !== plain.toString('base64')) fail(`deflate at ${bits} bits does not inflate back`);
  }
  kinds[kind]++;
}
console.log(JSON.stringify({ ok: true, cases, kinds, slowestMs: Number(slowest.toFixed(2)) }));
