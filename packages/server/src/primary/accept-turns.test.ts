import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AcceptTurns } from './accept-turns.js';

test('at most max workers accept; a full one hands its turn to the next with room, in order', () => {
  const told: string[] = [];
  const turns = new AcceptTurns(2, (id, on) => told.push(`${id}:${on ? 'on' : 'off'}`));
  for (const id of [0, 1, 2, 3]) turns.ready(id);
  assert.deepEqual(turns.now, [0, 1]);
  assert.deepEqual(told, ['2:off', '3:off']);
  told.length = 0;
  turns.full(0);
  assert.deepEqual(turns.now, [1, 2]);
  assert.deepEqual(told, ['2:on']);
  told.length = 0;
  // Worker 0 has room again: it waits behind worker 3.
  turns.room(0);
  turns.full(1);
  assert.deepEqual(turns.now.sort(), [2, 3]);
  turns.full(2);
  assert.deepEqual(turns.now.sort(), [0, 3]);
  assert.deepEqual(told, ['3:on', '0:on']);
});

test('a worker that dies gives up its turn; its replacement takes a free one or waits', () => {
  const told: string[] = [];
  const turns = new AcceptTurns(1, (id, on) => told.push(`${id}:${on ? 'on' : 'off'}`));
  turns.ready(0);
  turns.ready(1);
  turns.gone(0);
  assert.deepEqual(turns.now, [1]);
  turns.ready(0);
  assert.deepEqual(turns.now, [1]);
  assert.deepEqual(told, ['1:off', '1:on', '0:off']);
});

test('with max workers or fewer, every worker accepts and none is ever told to stop', () => {
  const told: string[] = [];
  const turns = new AcceptTurns(6, (id, on) => told.push(`${id}:${on}`));
  for (const id of [0, 1, 2]) turns.ready(id);
  turns.full(1);
  turns.room(1);
  assert.deepEqual(turns.now.sort(), [0, 1, 2]);
  assert.deepEqual(told, ['1:true']);
});
