import { test } from 'node:test';
import assert from 'node:assert/strict';
import { respawnDelayMs } from './supervisor.js';

test('a worker that keeps dying soon after its start is replaced after a wait that doubles, up to 30 s; one that lived is replaced at once', () => {
  assert.equal(respawnDelayMs(60_000, 5), 0);
  assert.deepEqual(
    [0, 1, 2, 3, 10, 20].map((n) => respawnDelayMs(500, n)),
    [250, 500, 1000, 2000, 30_000, 30_000],
  );
});
