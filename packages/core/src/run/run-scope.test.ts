import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunScope, withScope } from './run-scope.js';

test('what a run holds is closed last opened first; a close that fails is said and the others still close; null is not held', async () => {
  const closed: string[] = [];
  const said: string[] = [];
  const scope = new RunScope((l) => said.push(l));
  scope.hold('file', 'json', (r) => closed.push(r));
  scope.hold('nothing', null, () => closed.push('never'));
  scope.hold('endpoint', 'metrics', () => {
    throw new Error('EBADF');
  });
  scope.hold('workers', 'pool', async (r) => {
    await new Promise((res) => setTimeout(res, 5));
    closed.push(r);
  });
  await scope.close();
  assert.deepEqual(closed, ['pool', 'json']);
  assert.deepEqual(said, ['closing the endpoint: EBADF']);
  await scope.close();
  assert.deepEqual(closed, ['pool', 'json'], 'closed once');
});

test('withScope closes what the body opened when the body fails half-way, and passes the failure on', async () => {
  const closed: string[] = [];
  await assert.rejects(
    withScope(
      () => {},
      async (scope) => {
        scope.hold('endpoint', 'metrics', (r) => closed.push(r));
        throw new Error('the port is taken');
      },
    ),
    /the port is taken/,
  );
  assert.deepEqual(closed, ['metrics']);
});
