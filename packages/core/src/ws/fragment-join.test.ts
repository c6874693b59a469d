import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FragmentJoin } from './fragment-join.js';
import { WsProtocolError } from './frames.js';

test('fragments join in order into one message, each copied from the read buffer it came in', () => {
  const read = Buffer.from('hello');
  const join = new FragmentJoin(1, false, read);
  read.fill(0);
  assert.equal(join.add(Buffer.from(', '), false, 100), null);
  assert.equal(join.add(Buffer.from('world'), true, 100)?.toString(), 'hello, world');
  assert.equal(join.opcode, 1);
});

test('fragments over the limit together are a protocol error (close 1009), whatever each frame alone', () => {
  const join = new FragmentJoin(2, true, Buffer.alloc(60));
  assert.throws(
    () => join.add(Buffer.alloc(60), true, 100),
    (err: unknown) => err instanceof WsProtocolError && err.closeCode === 1009,
  );
});
