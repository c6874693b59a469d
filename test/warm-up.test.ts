import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connects, run, startServer } from '../tools/harness/processes.mjs';

// The server's workers send themselves 20,000 messages before they listen (warm-up.ts): none of
// that traffic may show in what the server reports.

test("the server's own warm-up leaves no trace in its counters: a run's messages are counted exactly", async () => {
  const server = await startServer(['--workers', '2']);
  try {
    await new Promise((r) => setTimeout(r, 1200)); // the workers report once a second
    const stats = await server.get('/stats');
    assert.deepEqual([stats.totals.messagesIn, stats.totals.messagesOut, stats.totals.bytesOut, stats.connections, stats.subscriptions], [0, 0, 0, 0, 0]);
    const sub = connects(['-s', `127.0.0.1:${server.port}`, '--subjects', '/p/s{1..10}/-', '--one-to-one'], 10);
    const pub = await run('publisher', ['-s', `127.0.0.1:${server.port}`, '--subjects', '/p/s{1..10}/-', '--frequency', '200', '--messages', '300']);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    await sub;
    await new Promise((r) => setTimeout(r, 1200));
    const after = (await server.get('/stats')).totals;
    assert.equal(after.messagesIn, 300);
  } finally {
    await server.stop();
  }
});
