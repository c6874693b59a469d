import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat, processProgress } from './process-progress.js';

test('/proc/PID/stat: the state and user + system ticks after the last parenthesis, whatever the command name holds', () => {
  const line = (state: string) =>
    `4242 (node (worker) x) ${state} 1 4242 4242 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 11 0 5000 1000000 2000 18446744073709551615`;
  assert.deepEqual(parseProcStat(line('R')), { stopped: false, cpuMs: 2870 });
  assert.deepEqual(parseProcStat(line('T')), { stopped: true, cpuMs: 2870 });
  assert.equal(parseProcStat('garbage'), undefined);
});

test('this process: running, its CPU time grows with work', () => {
  const before = processProgress(process.pid);
  assert.ok(before && !before.stopped);
  const until = performance.now() + 300;
  while (performance.now() < until);
  const after = processProgress(process.pid);
  assert.ok(after && after.cpuMs >= before.cpuMs + 100, `${before.cpuMs} -> ${after?.cpuMs} ms`);
  assert.equal(processProgress(2 ** 22 + 1), undefined);
});
