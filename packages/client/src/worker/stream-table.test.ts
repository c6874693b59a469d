import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newIntegrity, observeSeq, startStream, type SeqStream } from '@mdbench/core/internal';
import { RowSlab, StreamTable } from './stream-table.js';

test('the packed table accounts as one stream object per (publisher, subject) does: gaps, duplicates, late arrivals, joins, 40 streams', () => {
  const table = new StreamTable();
  const packed = newIntegrity();
  const objects = new Map<string, SeqStream>();
  const plain = newIntegrity();
  let x = 12345;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const next = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const pub = 0x8000_0000 + Math.floor(rand() * 20);
    const subject = Math.floor(rand() * 2);
    const key = `${pub}/${subject}`;
    let seq = (next.get(key) ?? Math.floor(rand() * 3) + 1) + (rand() < 0.05 ? 2 : 1);
    if (rand() < 0.03) seq -= 3; // late or duplicate
    next.set(key, Math.max(next.get(key) ?? 0, seq));
    if (seq < 1) continue;
    table.observe(pub, subject, seq, packed);
    const s = objects.get(key);
    if (s) observeSeq(s, seq, plain);
    else objects.set(key, startStream(seq, plain));
  }
  assert.deepEqual(packed, plain);
  assert.ok(plain.gaps > 0 && plain.duplicates + plain.outOfOrder > 0);
});

test('after a rejoin, each stream gap once counts as missed offline; later gaps are lost', () => {
  const t = new StreamTable();
  const c = newIntegrity();
  t.observe(1, 0, 1, c);
  t.observe(2, 0, 1, c);
  t.markRejoin();
  t.observe(1, 0, 5, c);
  t.observe(2, 0, 3, c);
  assert.deepEqual([c.gaps, c.missedOffline], [0, 4]);
  t.observe(1, 0, 7, c);
  assert.deepEqual([c.gaps, c.missedOffline], [1, 4]);
});

test('tables sharing one slab keep their own rows through growth, and a block a table outgrew serves the next', () => {
  const slab = new RowSlab();
  const tables = [0, 1, 2].map(() => new StreamTable(slab));
  const counts = tables.map(() => newIntegrity());
  // Interleaved: each table's rows grow (4, 6, 9, 14, 21 rows) between the others' writes.
  for (let seq = 1; seq <= 3; seq++)
    for (let pub = 0; pub < 20; pub++) for (let t = 0; t < 3; t++) tables[t].observe(1000 * t + pub, 0, seq + (t === 1 && seq === 3 ? 1 : 0), counts[t]);
  assert.deepEqual(
    counts.map((c) => c.gaps),
    [0, 20, 0],
    'only the second table skipped a message on each of its 20 streams',
  );
  // 3,000 tables of 9 streams: 648 KB of rows with the blocks they outgrew reused (1.37 MB without), in one 1 MiB chunk.
  const many = new RowSlab();
  const c = newIntegrity();
  for (let i = 0; i < 3000; i++) {
    const t = new StreamTable(many);
    for (let pub = 0; pub < 9; pub++) t.observe(pub, 0, 1, c);
  }
  assert.equal(many.bytes, 1 << 20);
});
