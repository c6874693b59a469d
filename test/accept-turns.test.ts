import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Proc, startServer } from '../tools/harness/processes.mjs';

// More server workers than accept at once (AcceptingWorkers, default 6): a worker that fills up must hand its
// turn on, or the connections past what the first six hold would find no one accepting.

test('8 workers of 300 sockets each hold 2,000 connections: full workers hand their turn to the ones still empty', async () => {
  const server = await startServer(['--workers', '8', '--max-sockets-per-worker', '300']);
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--clients',
    '2000',
    '--subjects',
    '/p/s{1..2000}/-',
    '--one-to-one',
    '--interval',
    '1',
  ]);
  try {
    await client.waitFor(/Connected: 2,000 open, 2,000 subscribed, 0 failed/, 120_000);
    // The workers report once a second: asked until they account for every connection.
    let per: number[] = [];
    for (let t = 0; t < 50 && per.reduce((a, b) => a + b, 0) !== 2000; t++) {
      await new Promise((r) => setTimeout(r, 200));
      per = (await server.get('/stats')).perWorker.map((w: { connections: number }) => w.connections);
    }
    // All eight held connections (the two that waited for a turn included), none past its 300.
    assert.equal(per.length, 8);
    assert.equal(
      per.reduce((a, b) => a + b, 0),
      2000,
    );
    assert.ok(
      per.every((n) => n > 0 && n <= 300),
      `connections per worker: ${per}`,
    );
  } finally {
    client.kill('SIGINT');
    await client.exited;
    await server.stop();
  }
});
