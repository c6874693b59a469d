import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage, newStamp, readStamp, writeStamp } from '@mdbench/core/worker';
import { messageOfPost, parseEventId, sseEventOf } from './sse-events.js';
import { ReplayWindow } from './replay-window.js';

const stamp = { publisherId: 0xabc, seq: 7, scheduledUs: 1_700_000_000_000_000, sentUs: 1_700_000_000_000_123 };

test('a native message as an event: its id, its stamp in text, a binary payload made printable, exactly as long', () => {
  const payload = Buffer.alloc(200);
  for (let i = 0; i < 200; i++) payload[i] = (i * 37) & 0xff;
  payload[10] = 0x0a; // a line break in a binary payload must not end the data line
  const event = sseEventOf(encodeMessage({ subject: '/p/s1/-', ...stamp }, payload)).toString('latin1');
  const m = /^id: abc-7\ndata: (.*)\n\n$/s.exec(event);
  assert.ok(m, event);
  const data = Buffer.from(m[1], 'latin1');
  assert.equal(data.length, 200);
  assert.ok(!data.includes(0x0a) && !data.includes(0x0d));
  const back = newStamp();
  assert.ok(readStamp(data, 0, data.length, back));
  assert.deepEqual(back, stamp);
});

test('a posted payload with a text stamp becomes a native message and its event carries the payload as it came', () => {
  const body = Buffer.alloc(100, 0x61);
  writeStamp(body, 0, stamp, 'text');
  const message = messageOfPost('/p/s2/-', body);
  assert.ok(message);
  const event = sseEventOf(message).toString('latin1');
  assert.equal(event, `id: abc-7\ndata: ${body.toString('latin1')}\n\n`);
  assert.equal(messageOfPost('/p/s2/-', Buffer.from('no stamp here')), null);
  assert.deepEqual(parseEventId('abc-7'), { publisherId: 0xabc, seq: 7 });
  assert.equal(parseEventId('1796662945:1'), null, "another server's id");
});

test('the replay window: messages after an id on its subject, bounded by bytes and age; an id no longer held gives null', () => {
  let now = 0;
  const w = new ReplayWindow(600, 10_000, () => now);
  const msg = (subject: string, seq: number) => encodeMessage({ subject, ...stamp, seq }, Buffer.alloc(50));
  w.record('/a', msg('/a', 1));
  assert.equal(w.after('/a', 0xabc, 1), null, 'nothing recorded before the first stream');
  w.active = true;
  for (let seq = 1; seq <= 5; seq++) {
    w.record('/a', msg('/a', seq));
    w.record('/b', msg('/b', seq));
  }
  assert.deepEqual(
    w.after('/a', 0xabc, 3)?.map((m) => m.readUInt32BE(8)),
    [4, 5],
  );
  assert.deepEqual(w.after('/a', 0xabc, 5), []);
  // 10 messages of 80 bytes: the window keeps the last 7 (560 of 600 bytes).
  assert.equal(w.after('/a', 0xabc, 1), null);
  now = 20_000;
  w.record('/b', msg('/b', 6));
  assert.equal(w.after('/a', 0xabc, 4), null, 'older than 10 s');
  assert.deepEqual(w.after('/b', 0xabc, 6), []);
});
