import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPushgateway } from '../tools/harness/brokers.mjs';
import { Proc, freePort, run, startServer, summaryOf } from '../tools/harness/processes.mjs';

// --metrics-push against Debian's prometheus-pushgateway, started here: a short run's series are
// there after it ends, with the run's final counts.

/** A series' value in the gateway's exposition text (its labels in any order). */
function valueOf(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return NaN;
}

test('a short run pushes to the Pushgateway every interval and at the end: the final counts are there after it is gone', async () => {
  const gw = await startPushgateway();
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-push-'));
  const server = await startServer(['--workers', '1']);
  try {
    const url = `127.0.0.1:${server.port}`;
    const json = join(dir, 'client.jsonl');
    const client = new Proc('client', [
      '-s',
      url,
      '--clients',
      '20',
      '--subjects',
      '/p/s{1..20}/-',
      '--one-to-one',
      '--interval',
      '1',
      '--json',
      json,
      '--metrics-push',
      gw.url,
    ]);
    await client.waitFor(/Connected: 20 open, 20 subscribed/, 60_000);
    assert.match(client.stdout, new RegExp(`Metrics push: ${gw.url}/metrics/job/mdbench-client/instance/1`));
    const pub = await run('publisher', [
      '-s',
      url,
      '--subjects',
      '/p/s{1..20}/-',
      '--frequency',
      '400',
      '--messages',
      '800',
      '--interval',
      '1',
      '--metrics-push',
      `${gw.url}/metrics/job/ci-publisher`,
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    // While the client runs its interval pushes are there already.
    for (let t = 0; t < 50 && !(valueOf(await gw.metrics(), 'mdbench_client_messages_total', { job: 'mdbench-client' }) >= 1); t++)
      await new Promise((r) => setTimeout(r, 200));
    for (let t = 0; t < 50 && !/Total messages: 800/.test(client.stdout); t++) await new Promise((r) => setTimeout(r, 200));
    client.kill('SIGINT');
    assert.equal(await client.exited, 0, client.stdout.slice(-2000));
    const text = await gw.metrics();
    assert.equal(valueOf(text, 'mdbench_client_messages_total', { job: 'mdbench-client', instance: '1' }), summaryOf(json).counters.messages);
    assert.equal(valueOf(text, 'mdbench_client_messages_total', { job: 'mdbench-client', instance: '1' }), 800);
    assert.equal(valueOf(text, 'mdbench_client_connections', { job: 'mdbench-client', state: 'subscribed' }), 20);
    assert.equal(valueOf(text, 'mdbench_publisher_messages_total', { job: 'ci-publisher' }), 800);
    assert.ok(valueOf(text, 'push_time_seconds', { job: 'mdbench-client' }) > 0);
  } finally {
    await server.stop();
    await gw.stop();
  }
});

test('a gateway that cannot be reached is a warning said once, the run goes on (exit 0); a URL that is not http is exit 2', async () => {
  const server = await startServer(['--workers', '1']);
  try {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const r = await run('publisher', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--subjects',
      '/p/s{1..5}/-',
      '--frequency',
      '200',
      '--messages',
      '600',
      '--interval',
      '1',
      '--metrics-push',
      dead,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // Pushed at three intervals and at the end: one warning.
    assert.equal((r.stdout.match(/\[WARN\] metrics push to .* failed: ECONNREFUSED/g) ?? []).length, 1, r.stdout);
  } finally {
    await server.stop();
  }
  const bad = await run('client', ['--metrics-push', 'ftp://gateway:9091']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--metrics-push: "ftp:\/\/gateway:9091" is not an http:\/\/ or https:\/\/ URL of a Prometheus Pushgateway/);
});
