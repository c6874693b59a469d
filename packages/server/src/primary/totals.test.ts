import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyWorkerStats } from '../worker-config.js';
import { ServerTotals } from './totals.js';

test("counters add over workers and time; gauges are each worker's latest; a gone worker leaves its counts but not its gauges", () => {
  const t = new ServerTotals();
  t.add(0, { ...emptyWorkerStats(), connections: 10, messagesIn: 5 });
  t.add(1, { ...emptyWorkerStats(), connections: 7, messagesIn: 3 });
  t.add(0, { ...emptyWorkerStats(), connections: 12, messagesIn: 1 });
  assert.equal(t.gauge('connections'), 19);
  assert.equal(t.total.messagesIn, 9);
  assert.equal(t.takeInterval().messagesIn, 9);
  assert.equal(t.takeInterval().messagesIn, undefined);
  t.forget(1);
  assert.equal(t.gauge('connections'), 12);
  assert.equal(t.total.messagesIn, 9);
  assert.equal(t.workers, 1);
});
