import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrors, MdbenchError } from '../errors.js';
import { commonSpecs } from '../cli/common-options.js';
import { instanceSpecs } from '../cli/instance-options.js';
import { Problems } from './problems.js';
import { resolveConfig } from './resolve.js';

const specs = [...commonSpecs, ...instanceSpecs];

test('every problem at once, each where its value came from: file and line, environment, flag, default', () => {
  const resolved = resolveConfig({
    specs,
    file: { path: 'run.conf', text: '# a run\nDuration = 30\n' },
    env: { MDBENCH_INTERVAL: '2' },
    flags: { instances: '3' },
  });
  const p = new Problems(resolved);
  p.add('duration', 'too long for this test');
  p.add('interval', 'not a divisor');
  p.check('instances', () => {
    throw new Error('no such fleet');
  });
  p.add('memory', 'needed here');
  assert.equal(p.count, 4);
  assert.throws(
    () => p.throwIfAny(),
    (e: unknown) =>
      e instanceof ConfigErrors &&
      e.exitCode === 2 &&
      e.toLine() ===
        [
          'run.conf:2: Duration: too long for this test',
          'environment: MDBENCH_INTERVAL: not a divisor',
          'command line: --instances: no such fleet',
          'default: memory: needed here',
        ].join('\n'),
  );
});

test("check returns the value, keeps an MdbenchError's code, hint and own location, and one problem is thrown as itself", () => {
  const p = new Problems(resolveConfig({ specs }));
  assert.equal(
    p.check('duration', () => 42),
    42,
  );
  p.check('duration', () => {
    throw new MdbenchError('MDB_PLAN_SHORT', 'short', { hint: 'widen it', location: { file: 'environment', key: 'JOB_COMPLETION_INDEX' } });
  });
  assert.throws(
    () => p.throwIfAny(),
    (e: unknown) =>
      e instanceof MdbenchError &&
      !(e instanceof ConfigErrors) &&
      e.code === 'MDB_PLAN_SHORT' &&
      e.hint === 'widen it' &&
      e.toLine() === 'environment: JOB_COMPLETION_INDEX: short',
  );
  new Problems(resolveConfig({ specs })).throwIfAny();
});
