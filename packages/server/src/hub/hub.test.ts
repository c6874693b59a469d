import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '@mdbench/core/internal';
import { Hub } from './hub.js';
import { HubLink } from './hub-link.js';

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond());
};
const msg = (subject: string, seq: number) => encodeMessage({ subject, publisherId: 1, seq, scheduledUs: 0, sentUs: 0 }, Buffer.from('x'));

test('a publish reaches only the workers holding its subject; a subject nobody else holds stops leaving its worker until someone subscribes', async () => {
  const hub = new Hub(join(mkdtempSync(join(tmpdir(), 'hub-')), 'h.sock'));
  await hub.listen();
  const got: Record<number, number[]> = { 0: [], 1: [], 2: [] };
  const links = [0, 1, 2].map(
    (w) =>
      new HubLink(
        hub.path,
        w,
        (m) => got[w].push(m.readUInt32BE(8)),
        (e) => assert.fail(e),
      ),
  );
  links[1].interest(true, '/a');
  await until(() => hub.holders('/a').length === 1);
  links[0].publish(msg('/a', 1), '/a');
  await until(() => got[1].length === 1);
  assert.deepEqual(got, { 0: [], 1: [1], 2: [] });
  // Nobody else holds /b: the first publish goes to the hub, which answers LOCAL_ONLY; later ones stay home.
  links[0].publish(msg('/b', 1), '/b');
  await until(() => hub.unrouted === 1);
  await new Promise((r) => setTimeout(r, 50));
  for (let s = 2; s <= 5; s++) links[0].publish(msg('/b', s), '/b');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(hub.unrouted, 1, 'the later publishes never left worker 0');
  // Worker 2 subscribes: worker 0 is told REMOTE and forwards again.
  links[2].interest(true, '/b');
  await until(() => hub.holders('/b').length === 1);
  await new Promise((r) => setTimeout(r, 50));
  links[0].publish(msg('/b', 6), '/b');
  await until(() => got[2].length === 1);
  assert.deepEqual(got[2], [6]);
  assert.equal(hub.forwarded, 2);
  for (const l of links) l.close();
  hub.close();
});
