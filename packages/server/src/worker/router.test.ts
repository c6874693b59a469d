import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { Opcode, encodeServerFrame } from '@mdbench/core/internal';
import { emptyWorkerStats } from '../worker-config.js';
import { Router } from './router.js';

/** A socket stand-in that records writes and corking. */
function sock(writableLength = 0) {
  const s = {
    writableLength,
    writableCorked: 0,
    writes: [] as Buffer[],
    flushes: 0,
    destroyed: false,
    cork() {
      s.writableCorked++;
    },
    uncork() {
      s.writableCorked--;
      s.flushes++;
    },
    write(b: Buffer) {
      s.writes.push(b);
      return true;
    },
    destroy() {
      s.destroyed = true;
    },
  };
  return s;
}

test('a message is framed once and the same bytes go to every subscriber, corked until the turn ends', () => {
  const later: (() => void)[] = [];
  const stats = emptyWorkerStats();
  const interest: string[] = [];
  const r = new Router<Socket>(
    { bufferLimitSend: 0, slowConsumer: 'drop', interest: (add, s) => interest.push(`${add ? '+' : '-'}${s}`), later: (fn) => later.push(fn) },
    stats,
  );
  const socks = [sock(), sock(), sock()];
  for (const s of socks) r.subscribe(s as unknown as Socket, '/a');
  r.subscribe(socks[0] as unknown as Socket, '/b');
  assert.deepEqual(interest, ['+/a', '+/b']);
  const m1 = Buffer.from('first');
  assert.equal(r.deliver(m1, '/a'), 3);
  assert.equal(r.deliver(Buffer.from('second'), '/a'), 3);
  assert.equal(r.deliver(Buffer.from('x'), '/none'), 0);
  const frame = encodeServerFrame(Opcode.BINARY, m1);
  for (const s of socks) {
    assert.deepEqual(s.writes[0], frame);
    assert.equal(s.writes[0], socks[0].writes[0], 'one frame object shared by all');
    assert.equal(s.writableCorked, 1);
  }
  assert.equal(later.length, 1, 'one flush per turn');
  later[0]();
  for (const s of socks) assert.deepEqual([s.writableCorked, s.flushes, s.writes.length], [0, 1, 2]);
  assert.deepEqual([stats.messagesOut, stats.bytesOut], [6, 3 * frame.length + 3 * 8]);
  r.unsubscribe(socks[0] as unknown as Socket, '/b');
  assert.deepEqual(interest, ['+/a', '+/b', '-/b']);
});

test('slow consumers over BufferLimit.Send: dropped and counted, or disconnected', () => {
  for (const policy of ['drop', 'disconnect'] as const) {
    const stats = emptyWorkerStats();
    const r = new Router<Socket>({ bufferLimitSend: 1000, slowConsumer: policy, interest: () => {}, later: () => {} }, stats);
    const slow = sock(5000);
    const ok = sock();
    r.subscribe(slow as unknown as Socket, '/a');
    r.subscribe(ok as unknown as Socket, '/a');
    assert.equal(r.deliver(Buffer.from('m'), '/a'), 1);
    assert.equal(ok.writes.length, 1);
    assert.equal(slow.writes.length, 0);
    assert.equal(policy === 'drop' ? stats.slowDrops : stats.slowDisconnects, 1);
    assert.equal(slow.destroyed, policy === 'disconnect');
    // More messages in the same turn, before the destroyed socket's 'close' unsubscribes it: a
    // dropped subscriber counts one drop a message, a disconnected one is counted once.
    r.deliver(Buffer.from('m2'), '/a');
    r.deliver(Buffer.from('m3'), '/a');
    assert.equal(ok.writes.length, 3);
    assert.equal(slow.writes.length, 0);
    if (policy === 'drop') assert.equal(stats.slowDrops, 3);
    else assert.equal(stats.slowDisconnects, 1, 'one disconnect however many messages follow in the turn');
  }
});
