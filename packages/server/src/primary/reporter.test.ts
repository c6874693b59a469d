import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, type LogWriter } from '@mdbench/core';
import { emptyWorkerStats } from '../worker-config.js';
import { ServerReporter } from './reporter.js';
import { ServerTotals } from './totals.js';

test("the whole run's message rates divide by the intervals in which messages arrived, not by the uptime", () => {
  const clock = new ManualClock();
  const totals = new ServerTotals();
  const blocks: Array<ReadonlyArray<readonly [string, string]>> = [];
  const log = { info() {}, warn() {}, block: (lines: ReadonlyArray<readonly [string, string]>) => blocks.push(lines) } as unknown as LogWriter;
  const r = new ServerReporter({ log, json: null, header: { v: 1, tool: 'mdbench-server', version: 't', host: 'h', pid: 1, instance: 1, instances: 1, processes: 1 } as never, clock, totals, hubForwarded: () => 0 });
  const line = (k: string) => blocks.at(-1)?.find(([label]) => label === k)?.[1];
  // 10 s idle, 20 s at 1,000 msg/s, 10 s idle.
  clock.advanceMs(5000);
  r.report('interval');
  clock.advanceMs(5000);
  r.report('interval');
  for (let i = 0; i < 4; i++) {
    totals.add(0, { ...emptyWorkerStats(), messagesIn: 5000, messagesOut: 5000 });
    clock.advanceMs(5000);
    r.report('interval');
    assert.equal(line('Messages in'), '1,000.00 messages/sec');
  }
  clock.advanceMs(10_000);
  r.report('interval');
  assert.equal(line('Messages in'), '0.00 messages/sec');
  r.report('summary');
  assert.equal(line('Messages in'), '1,000.00 messages/sec (over the 20 s of intervals in which messages arrived)');
  assert.equal(line('Total messages in'), '20,000');
});
