import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connects, run, startServer } from '../tools/harness/processes.mjs';

test('a shared token: the right one connects, a wrong or missing one is refused with 401 before any run starts', async () => {
  const server = await startServer(['--workers', '1', '--token', 's3cret']);
  const args = ['-s', `127.0.0.1:${server.port}`, '--clients', '10', '--duration', '1', '--interval', '1'];
  const ok = await connects(['-s', `127.0.0.1:${server.port}`, '--token', 's3cret'], 10);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const wrong = await run('client', [...args, '--token', 'guess']);
  assert.equal(wrong.code, 4);
  assert.match(wrong.stderr, /cannot reach server 127\.0\.0\.1:\d+: handshake \(HTTP 401\)/);
  const none = await run('publisher', ['-s', `127.0.0.1:${server.port}`, '--duration', '1']);
  assert.equal(none.code, 4);
  await new Promise((r) => setTimeout(r, 1200)); // workers report once a second
  const stats = await server.get<{ totals: Record<string, number> }>('/stats', { Authorization: 'Bearer s3cret' });
  assert.ok(stats.totals.rejected >= 2);
  // With a token, every monitor route asks for it: /connections lists every client's address.
  for (const path of ['/stats', '/connections', '/metrics']) {
    const port = server.monitorPort;
    assert.equal((await fetch(`http://127.0.0.1:${port}${path}`)).status, 401, path);
    assert.equal((await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: 'Bearer s3cre' } })).status, 401, path);
    assert.equal((await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: 'Bearer s3cret' } })).status, 200, path);
  }
  await server.stop();
});

test('the monitor listens on loopback by default', async () => {
  const server = await startServer(['--workers', '1']);
  assert.match(server.proc.stdout, /Monitor: http:\/\/127\.0\.0\.1:\d+\/stats/);
  await server.stop();
});
