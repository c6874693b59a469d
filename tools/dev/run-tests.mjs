#!/usr/bin/env node
// Runs every *.test.ts of the repository (beside the sources in packages/*/src and tools/*/src, in
// packages/*/test, tools/*/test, examples/ and test/) with node's built-in test runner through tsx,
// in three lanes side by side, one file at a time within a lane. Files that could collide (the same
// explicit local address and port, a CPU-heavy restart run beside another) share a lane; every
// server a test starts listens on a port of its own. Each lane's output is printed whole when the
// lane ends, then each file's time and one closing line: `tests: N passed, N failed`.
// Arguments filter the files by a part of their path; --serial runs them in one lane.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', 'dist', '.git']);

/**
 * Which lane a file runs in, by a part of its path (the first that matches; unlisted files go to
 * the last lane). The first lane holds the tests that connect from explicit ports of 127.0.0.2
 * and 127.0.0.3, and the SSE restart runs (127.0.12.x); the second the real brokers' restart runs
 * (127.0.2.x) and every other RabbitMQ test, one at a time.
 */
const LANES = [
  [
    'test/deflate',
    'test/end-to-end',
    'test/faults',
    'test/integrity',
    'test/listeners',
    'test/tls',
    'tools/report/src/html',
    'test/cli-errors',
    'test/compare',
    'tools/capacity',
    'test/chat-rooms',
    'test/fleet-boxes',
    'test/sse.test',
  ],
  // RabbitMQ's tests one at a time (a second RabbitMQ beside a restart run slows it).
  ['test/brokers', 'test/realtime-stacks', 'test/refusals', 'test/request-reply'],
  [],
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
    if (SKIP.has(e)) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (e.endsWith('.test.ts')) files.push(relative(root, p));
  }
};
for (const top of ['packages', 'tools', 'examples', 'test']) walk(join(root, top));
files.sort();
const args = process.argv.slice(2);
const serial = args.includes('--serial');
const filter = args.filter((a) => a !== '--serial');
const chosen = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
if (chosen.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

const lanes = LANES.map(() => []);
for (const f of chosen) {
  const listed = LANES.findIndex((parts) => parts.some((p) => f.startsWith(p)));
  lanes[serial ? 0 : listed >= 0 ? listed : LANES.length - 1].push(f);
}

/** Runs one file; resolves with its output, its counts and its time. */
function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-timeout=300000', file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    child.on('close', (code, signal) => {
      const text = Buffer.concat(out).toString();
      const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      let failed = count('fail') + count('cancelled');
      // A file that died without counting a failure still failed.
      if ((code !== 0 || signal) && failed === 0) failed = 1;
      resolve({ file, text, passed: count('pass'), failed, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

async function runLane(list) {
  const results = [];
  for (const f of list) {
    const r = await runFile(f);
    results.push(r);
    process.stdout.write(`${r.text.trimEnd()}\n# file ${r.file}: ${r.passed} passed, ${r.failed} failed, ${r.seconds.toFixed(1)} s\n`);
  }
  return results;
}

const t0 = Date.now();
const results = (await Promise.all(lanes.map(runLane))).flat();
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(
  `\n# lanes: ${lanes
    .map(
      (l, i) =>
        `${i + 1}: ${results
          .filter((r) => l.includes(r.file))
          .reduce((s, r) => s + r.seconds, 0)
          .toFixed(0)} s`,
    )
    .join(', ')}; wall ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
for (const r of results.filter((x) => x.failed > 0)) console.log(`# failed in ${r.file}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
