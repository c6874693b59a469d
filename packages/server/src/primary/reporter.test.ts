import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogWriter } from '@mdbench/core/internal';
import { ManualClock } from '@mdbench/core/testing';
import { emptyWorkerStats } from '../worker-config.js';
import { ServerReporter } from './reporter.js';
import { ServerTotals } from './totals.js';

test("the whole run's message rates divide by the time messages flowed, not by the uptime", () => {
  const clock = new ManualClock();
  const totals = new ServerTotals();
  const blocks: Array<ReadonlyArray<readonly [string, string]>> = [];
  const log = { info() {}, warn() {}, block: (lines: ReadonlyArray<readonly [string, string]>) => blocks.push(lines) } as unknown as LogWriter;
  const r = new ServerReporter({
    log,
    json: null,
    header: { v: 1, tool: 'mdbench-server', version: 't', host: 'h', pid: 1, instance: 1, instances: 1, processes: 1 } as never,
    clock,
    totals,
    hubForwarded: () => 0,
  });
  const line = (k: string) => blocks.at(-1)?.find(([label]) => label === k)?.[1];
  // Idle, then 18 s at 1,000 msg/s from 7.5 s to 25.5 s (workers report every second), then idle; 5 s report intervals.
  const second = (messagesIn: number) => {
    clock.advanceMs(1000);
    totals.add(0, { ...emptyWorkerStats(), messagesIn, messagesOut: messagesIn }, clock.monotonicMs());
    if (Math.round(clock.monotonicMs() - t0) % 5000 === 0) r.report('interval');
  };
  const t0 = clock.monotonicMs();
  for (let s = 0; s < 7; s++) second(0);
  second(500);
  for (let s = 0; s < 17; s++) second(1000);
  second(500);
  assert.equal(line('Messages in'), '1,000.00 messages/sec', 'the interval 20-25 s, all of it flowing');
  for (let s = 0; s < 9; s++) second(0);
  assert.equal(line('Messages in'), '0.00 messages/sec');
  r.report('summary');
  assert.equal(line('Messages in'), '1,000.00 messages/sec (over the 18.0 s from the first message in to the last)', 'not 514 over the 35 s of uptime');
  assert.equal(line('Total messages in'), '18,000');
});
