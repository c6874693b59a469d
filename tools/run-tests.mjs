#!/usr/bin/env node
// Runs every *.test.ts under packages/*/test, tools/*/test and test/ with node's built-in test runner (through tsx),
// one file at a time: the end-to-end tests start real processes on loopback and must not overlap.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const roots = [
  join(root, 'test'),
  ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'test')),
  ...readdirSync(join(root, 'tools')).map((p) => join(root, 'tools', p, 'test')),
];
const files = [];
const walk = (dir) => {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (e.endsWith('.test.ts')) files.push(p);
  }
};
roots.forEach(walk);
const filter = process.argv.slice(2);
const chosen = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
if (chosen.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', ...chosen], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
