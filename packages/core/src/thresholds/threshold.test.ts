import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MdbenchError } from '../errors.js';
import { ClientStats } from '../stats/client-stats.js';
import { CLIENT_THRESHOLD_METRICS, clientMetric } from './client-metrics.js';
import { holds, judgeAll, parseThresholds, verdictText } from './threshold.js';

const where = { file: 'command line', flag: '--thresholds' } as never;

test('thresholds parse with their units into ms, percentages and counts', () => {
  const t = parseThresholds(
    'p99<50ms, loss=0,rate>=99.5%, connect.p99<=2s, tls.max<800us',
    { ...CLIENT_THRESHOLD_METRICS, rate: { unit: '%', about: 'rate' } },
    where,
  );
  assert.deepEqual(
    t.map((x) => [x.metric, x.op, x.value]),
    [
      ['p99', '<', 50],
      ['loss', '=', 0],
      ['rate', '>=', 99.5],
      ['connect.p99', '<=', 2000],
      ['tls.max', '<', 0.8],
    ],
  );
  assert.deepEqual(parseThresholds('', CLIENT_THRESHOLD_METRICS, where), []);
});

test('a threshold that cannot be judged is one line naming it (exit 2)', () => {
  for (const [bad, why] of [
    ['p99<50', /needs a time unit/],
    ['loss=0ms', /is a count: no unit/],
    ['subscribed>=99', /is a percentage/],
    ['p98<5ms', /no metric "p98" here \(metrics: p50, p90/],
    ['p99 about 5ms', /is not METRIC OP VALUE/],
    ['constructor<5', /no metric "constructor" here/],
    ['p99<5constructor', /is not METRIC OP VALUE|needs a time unit/],
  ] as const) {
    assert.throws(
      () => parseThresholds(bad, CLIENT_THRESHOLD_METRICS, where),
      (e: unknown) => e instanceof MdbenchError && e.exitCode === 2 && why.test(e.message),
      bad,
    );
  }
});

test('each operator judges its bound; nothing measured holds no threshold', () => {
  const [lt, le, eq, ge, gt] = parseThresholds('p99<5ms,p99<=5ms,loss=0,subscribed>=100%,p50>1ms', CLIENT_THRESHOLD_METRICS, where);
  assert.deepEqual([holds(lt, 5), holds(le, 5), holds(eq, 0), holds(ge, 99.9), holds(gt, 1.01)], [false, true, true, false, true]);
  assert.equal(holds(lt, NaN), false);
});

test("a fleet's figures: latency in ms from the merged histogram, loss, errors, subscribed share, phases", () => {
  const s = new ClientStats();
  for (let i = 1; i <= 1000; i++) s.latency.record(i * 100);
  s.counters.gaps = 3;
  s.errors.ECONNREFUSED = 2;
  s.phases.record('connect', 40_000);
  const g = { open: 9, connected: 9, subscribed: 9, connecting: 0, reconnecting: 1, planned: 10, failed: 0 } as never;
  const read = (m: string) => clientMetric(m, s, g, 4.5);
  assert.ok(Math.abs(read('p99') - 99) < 1, `p99 ${read('p99')}`);
  assert.equal(read('max'), 100);
  assert.equal(read('loss'), 3);
  assert.equal(read('errors'), 2);
  assert.equal(read('subscribed'), 90);
  assert.equal(read('loop'), 4.5);
  assert.ok(Math.abs(read('connect.p99') - 40) < 0.1);
  assert.ok(Number.isNaN(read('tls.p99')), 'no TLS attempt measured');
  const verdicts = judgeAll(parseThresholds('p99<50ms,loss=0,subscribed>=90%', CLIENT_THRESHOLD_METRICS, where), CLIENT_THRESHOLD_METRICS, read);
  assert.deepEqual(verdicts.map(verdictText), [`p99<50ms FAILED (${read('p99').toFixed(2)} ms)`, 'loss=0 FAILED (3)', 'subscribed>=90% passed (90.00%)']);
});
