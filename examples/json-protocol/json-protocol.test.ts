import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, freePort, run, sleep, summaryOf, track } from '../../tools/harness/processes.mjs';

// The example plug-in end to end: its tiny JSON server, mdbench-client and mdbench-publisher loading
// the plug-in by path; every message arrives stamped and measured.

const here = new URL('.', import.meta.url).pathname;

test('the JSON plug-in: 200 subscribers and a publisher through the example server, every message measured', async () => {
  const port = await freePort();
  const server = track(spawn(process.execPath, [join(here, 'server.mjs'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await once(server.stdout!, 'data');
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-json-'));
  const json = join(dir, 'client.jsonl');
  const plugin = join(here, 'json-protocol.mjs');
  try {
    const client = new Proc('client', [
      '-s',
      `ws://127.0.0.1:${port}/`,
      '--protocol',
      plugin,
      '--clients',
      '200',
      '--subjects',
      '/p/s{1..200}/-',
      '--one-to-one',
      '--interval',
      '1',
      '--duration',
      '30',
      '--json',
      json,
    ]);
    await client.waitFor(/Connected: 200 open, 200 subscribed, 0 failed/);
    const pub = await run('publisher', [
      '-s',
      `ws://127.0.0.1:${port}/`,
      '--protocol',
      plugin,
      '--subjects',
      '/p/s{1..200}/-',
      '--frequency',
      '500',
      '--messages',
      '2000',
      '--message-size',
      '128',
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    await sleep(1000);
    client.kill('SIGINT');
    assert.equal(await client.exited, 0, client.stdout.slice(-2000));
    const s = summaryOf(json);
    assert.equal(s.protocol, 'json');
    assert.equal(s.counters.messages, 2000);
    assert.equal(s.counters.bytes, 2000 * 128, 'every payload exactly MessageSize bytes, stamp included');
    assert.equal(s.counters.gaps ?? 0, 0);
    assert.equal(s.counters.unstamped ?? 0, 0);
    assert.ok(s.latency.welford.mean > 0 && s.latency.welford.max < 5_000_000);
  } finally {
    server.kill('SIGKILL');
  }
});
