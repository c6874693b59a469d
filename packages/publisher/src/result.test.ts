import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publisherProblems, type PublisherOutcome } from './result.js';

const clean: PublisherOutcome = {
  missedIntervals: 0,
  intervals: 12,
  lost: 0,
  reconnects: 0,
  downMs: 0,
  unsentBytes: 0,
  unacked: 0,
  refused: 0,
  serverErrors: 0,
};

test('a clean run has no problem; each kind of trouble is one phrase with its figures', () => {
  assert.deepEqual(publisherProblems(clean), []);
  assert.deepEqual(
    publisherProblems({ ...clean, missedIntervals: 2, lost: 1, reconnects: 1, downMs: 1500, unsentBytes: 12_345, unacked: 7, refused: 3, serverErrors: 1 }),
    [
      'rate not held in 2 of 12 intervals',
      '1 connection loss(es), 1 reconnect(s), 1.50 s down',
      '12,345 bytes still unsent at exit',
      '7 publishes unacknowledged at exit',
      '3 refusals by the server (causes under Connection errors)',
      '1 errors reported by the server',
    ],
  );
});
