import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, jsonLines, run, startServer } from '../tools/harness/processes.mjs';

test('a disk that fills mid-run (a 64 KiB tmpfs): the run goes on, prints its summary, names the file and exits 5', async () => {
  const mnt = mkdtempSync(join(tmpdir(), 'mdbench-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
  try {
    // Leave about 6 KB: the header and the first intervals fit, the later ones do not.
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(64 * 1024 - 6 * 1024));
    const server = await startServer(['--workers', '1']);
    const json = join(mnt, 'client.jsonl');
    const client = new Proc('client', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      '20',
      '--subjects',
      '/p/s{1..20}/-',
      '--interval',
      '1',
      '--duration',
      '8',
      '--json',
      json,
    ]);
    await client.waitFor(/Connected: 20 open/);
    const pub = await run('publisher', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--subjects',
      '/p/s{1..20}/-',
      '--frequency',
      '200',
      '--duration',
      '4',
      '--interval',
      '1',
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    const code = await client.exited;
    await server.stop();
    assert.equal(code, 5, client.stdout + client.stderr);
    assert.match(client.stdout, /\[ERROR\] cannot write the JSON-lines file .*client\.jsonl any more: ENOSPC after \d+ bytes; the run goes on/);
    const summary = client.stdout.slice(client.stdout.indexOf('Summary: whole run'));
    assert.match(summary, /\[INFO\] Total messages: [1-9][\d,]*$/m, 'the summary is printed');
    assert.match(summary, /\[INFO\] Integrity: 0 lost \(gaps\)/, 'every message counted');
    assert.match(client.stdout, /\[INFO\] Result: errors: JSON-lines file .*client\.jsonl not written whole: ENOSPC/);
    // What was written before the disk filled is whole lines of records.
    const records = jsonLines(readFileSync(json, 'utf8'));
    assert.ok(records.length >= 1);
  } finally {
    execFileSync('umount', [mnt]);
  }
});

test('JSON lines start afresh each run (no mixing with an older run in the same file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-out-'));
  const json = join(dir, 'server.jsonl');
  for (let k = 0; k < 2; k++) {
    const server = await startServer(['--workers', '1', '--json', json, '--interval', '1']);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(await server.stop(), 0);
  }
  const pids = new Set(jsonLines(readFileSync(json, 'utf8')).map((r) => r.pid));
  assert.equal(pids.size, 1, 'records of one run only');
});
