import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PayloadPool } from '@mdbench/core/internal';
import { SequenceNumbers } from './sequence-numbers.js';
import { prefixedSubjects, topicLookup } from './plan.js';
import { compilePattern } from '@mdbench/core/internal';

test('sequence numbers start at 1 and run per subject, dense or sparse', () => {
  for (const n of [10, 70_000_000]) {
    const s = new SequenceNumbers(n);
    assert.deepEqual([s.next(3), s.next(3), s.next(5), s.next(3)], [1, 2, 1, 3]);
  }
});

test('payloads: printable random characters, any offset leaves a whole payload', () => {
  const p = new PayloadPool(512);
  assert.match(p.bytes.toString('latin1'), /^[A-Za-z0-9]+$/);
  for (const r of [0, 0.5, 0.999999]) assert.ok(p.offset(() => r) + 512 <= p.bytes.length);
});

test("the article's subjects: /PublisherType + Subjects, mapped by the protocol", () => {
  const seq = prefixedSubjects(compilePattern('/s{1..3}/-'), 'p');
  assert.deepEqual([seq.at(0), seq.at(2)], ['/p/s1/-', '/p/s3/-']);
  const at = topicLookup(seq, (s) => s.toUpperCase());
  assert.equal(at(1), '/P/S2/-');
});
