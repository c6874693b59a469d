import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogFollower } from './log-follower.js';

const record = (n: number) =>
  JSON.stringify({
    v: 1,
    type: 'interval',
    tool: 'mdbench-publisher',
    version: 't',
    host: 'h',
    pid: 1,
    ts: new Date(n * 1000).toISOString(),
    uptimeS: n,
    seconds: 1,
    sent: n,
    totalSent: n,
    lag: {},
    targetRatePerSec: 1,
  });

test('a growing log is read from where the last read ended; a half-written line waits; a bad line is said once and skipped', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'mdbench-follow-')), 'p.jsonl');
  writeFileSync(file, `${record(1)}\n${record(2).slice(0, 20)}`);
  const warnings: string[] = [];
  const f = new LogFollower((m) => warnings.push(m));
  assert.equal(f.read([file]), 1);
  appendFileSync(file, `${record(2).slice(20)}\nnot json\n${record(3)}\n`);
  assert.equal(f.read([file]), 2, 'the finished line and the next; the bad one skipped');
  assert.deepEqual(
    f.records.map((r) => (r as { sent: number }).sent),
    [1, 2, 3],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /p\.jsonl:3: line 3 is not JSON; the line is skipped/);
  assert.equal(f.read([file]), 0, 'nothing new: nothing read again');
  assert.equal(f.read([join(file, '..', 'missing.jsonl')]), 0);
});
