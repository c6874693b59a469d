import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, startServer, summaryOf, track } from '../tools/harness/processes.mjs';

// Processes started on a loaded machine must still agree on the wall clock: each client measures
// its offset to the server (NTP-style, over the native protocol) and must find it within half the
// round trip plus 50 µs, while two busy loops hold both cores.
test('4 clients started under two busy loops agree with the server within rtt/2 + 50 µs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-clock-'));
  const hogs = [0, 1].map(() => track(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' })));
  try {
    const server = await startServer(['--workers', '1']);
    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, k) =>
        run('client', [
          '-s',
          `127.0.0.1:${server.port}`,
          '--clients',
          '1',
          '--subjects',
          '/p/s1/-',
          '--workers',
          '1',
          '--clock-samples',
          '20',
          '--duration',
          '1',
          '--interval',
          '1',
          '--json',
          join(dir, `c${k}.jsonl`),
        ]),
      ),
    );
    await server.stop();
    for (const [k, r] of runs.entries()) {
      // Under the hogs a 1 s run may end before its connection opens (exit 1): only the clock counts here.
      assert.ok(r.code === 0 || r.code === 1, r.stdout + r.stderr);
      const s = summaryOf(join(dir, `c${k}.jsonl`));
      assert.equal(typeof s.clockOffsetUs, 'number', JSON.stringify(s));
      assert.ok(Math.abs(s.clockOffsetUs) <= s.clockRttUs / 2 + 50, `client ${k}: clock offset ${s.clockOffsetUs} µs, rtt ${s.clockRttUs} µs`);
    }
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
  }
});
