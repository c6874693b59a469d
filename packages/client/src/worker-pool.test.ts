import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerPool } from './worker-pool.js';
import type { ClientWorkerConfig } from './worker-config.js';

const script = new URL('./test-support/slow-worker.mjs', import.meta.url).pathname;
const config = (k: number) => ({ workerId: k, workers: 2, instanceIndex: 0, options: { clients: 10 } }) as ClientWorkerConfig;

test('a reply that misses its pull deadline is carried into the next pull, never dropped', async () => {
  const lost: string[] = [];
  const pool = new WorkerPool([config(0), config(1)], [], { ...process.env, SLOW_MS: '400' }, (w) => lost.push(w), script);
  await pool.ready();
  const first = await pool.pull('snap', 150);
  assert.deepEqual(
    first.map((d) => d.counters.messages),
    [11],
    'only the fast worker answered in time',
  );
  await new Promise((r) => setTimeout(r, 500));
  const second = await pool.pull('snap', 2000);
  assert.deepEqual(
    second.map((d) => d.counters.messages).sort((a, b) => a - b),
    [10, 20, 21],
    'the late reply comes with the next pull',
  );
  const last = await pool.pull('stop', 2000);
  assert.deepEqual(
    last.map((d) => d.counters.messages).sort((a, b) => a - b),
    [30, 31],
  );
  await pool.exited(2000);
  assert.deepEqual(lost, []);
  assert.equal(pool.totals().open, 10);
  assert.equal(pool.rssStartBytes, 2000);
});
