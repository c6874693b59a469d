import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorTally } from './error-tally.js';

test('errors are counted by cause and the first detail of each cause is kept until taken', () => {
  const tally = new ErrorTally();
  tally.error('ECONNRESET');
  tally.error('ECONNRESET');
  tally.refusal('not-authorized', 'bad token');
  tally.refusal('not-authorized', 'a later detail');
  tally.error('server-error', 'queue full');
  assert.deepEqual(tally.take(), { errors: { ECONNRESET: 2, 'server-error': 1 }, refusals: { 'not-authorized': 'bad token', 'server-error': 'queue full' } });
  assert.deepEqual(tally.take(), { errors: {}, refusals: {} });
});

test("a server's words reach the tally safe for a terminal, and a cause named like a prototype key is an ordinary key", () => {
  const tally = new ErrorTally();
  tally.error('\u001b]0;owned\u0007', '\u001b[2Jcleared');
  tally.refusal('constructor', 'x');
  tally.error('constructor');
  const { errors, refusals } = tally.take();
  for (const key of Object.keys(errors)) assert.doesNotMatch(key, /\u001b/);
  assert.equal(
    Object.values(refusals).some((d) => d.includes('\u001b')),
    false,
  );
  assert.equal(refusals.constructor, 'x');
  assert.equal(errors.constructor, 1);
});
