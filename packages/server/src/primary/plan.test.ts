import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrors, MdbenchError, resolveConfig } from '@mdbench/core/internal';
import { limitsText, mapHost } from '@mdbench/core/testing';
import { serverSpecs } from '../options.js';
import { buildServerPlan, chooseServerWorkers } from './plan.js';

const facts = mapHost({ '/proc/self/limits': limitsText(20_000, 20_000), '/proc/sys/net/core/somaxconn': '4096' });

test('workers: one per core at least, enough for the expected connections under the open-file limit with 15% spare', () => {
  assert.equal(chooseServerWorkers(3, 1_000_000, 20_000, true), 3);
  assert.equal(chooseServerWorkers(undefined, 1_000_000, 20_000, true), 60); // 19,680 usable sockets a worker, 15% spare
  assert.equal(chooseServerWorkers(undefined, 1_000_000, 20_000, false), Math.ceil(1_000_000 / (20_000 - 64 - 256)));
});

test("every bad setting at once, located; the article's keys that cannot be honoured are refused", () => {
  const resolved = resolveConfig({
    specs: serverSpecs,
    file: { path: 'server.conf', text: 'Listen = nowhere\nBenchmarkMode = false\nPubSubTightlyCoupled = true\n' },
  });
  assert.throws(
    () => buildServerPlan(resolved.values, resolved, facts),
    (e: unknown) =>
      e instanceof ConfigErrors &&
      e.errors.map((x) => x.toLine().split(':').slice(0, 3).join(':')).join('|') ===
        'server.conf:1: Listen|server.conf:3: PubSubTightlyCoupled|server.conf:2: BenchmarkMode',
  );
  const ok = resolveConfig({ specs: serverSpecs, flags: { expectConnections: '40000' } });
  const plan = buildServerPlan(ok.values, ok, facts);
  assert.ok(plan.workers >= 3);
  assert.deepEqual(plan.listen, { host: '127.0.0.1', port: 8800 });
  const tooMany = resolveConfig({ specs: serverSpecs, flags: { expectConnections: '100000', workers: '1' } });
  assert.throws(
    () => buildServerPlan(tooMany.values, tooMany, facts),
    (e: unknown) => e instanceof MdbenchError && e.exitCode === 3 && /--workers \d+ or more/.test(e.hint ?? ''),
  );
});
