import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigErrors, MdbenchError, commonSpecs, compilePatternList, resolveConfig, type OptionSpec } from '../internal.js';

// Any input gives a result or a typed error: never another exception, never a hang (each property
// runs under the test's timeout, and every case must finish in well under a millisecond or so).
const patternChars = fc.constantFrom(...'{}.,-0123456789ab/ \t'.split(''));

test('fuzz: the brace expander returns a sequence or an MdbenchError', () => {
  fc.assert(
    fc.property(
      fc.array(patternChars, { maxLength: 40 }).map((a) => a.join('')),
      (text) => {
        try {
          const seq = compilePatternList(text);
          assert.ok(Number.isSafeInteger(seq.count) && seq.count >= 1);
          if (seq.count > 0) seq.at(0);
          if (seq.count > 1) seq.at(seq.count - 1);
        } catch (err) {
          assert.ok(err instanceof MdbenchError, `unexpected ${(err as Error).name}: ${(err as Error).message} for ${JSON.stringify(text)}`);
        }
      },
    ),
    { numRuns: 3000 },
  );
});

test('fuzz: the brace expander on arbitrary unicode', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60, unit: 'binary' }), (text) => {
      try {
        compilePatternList(text);
      } catch (err) {
        assert.ok(err instanceof MdbenchError, `${(err as Error).message}`);
      }
    }),
    { numRuns: 2000 },
  );
});

const specs: OptionSpec[] = [
  { name: 'clients', key: 'Clients', flag: 'clients', type: 'int', min: 1, description: '' },
  { name: 'subjects', key: 'Subjects', flag: 'subjects', type: 'pattern', description: '' },
  { name: 'one', key: 'OneToOne', flag: 'one-to-one', type: 'bool', description: '' },
  { name: 'ports', key: 'LocalPorts', flag: 'local-ports', type: 'portRange', description: '' },
  { name: 'mode', key: 'Mode', flag: 'mode', type: 'enum', choices: ['a', 'b'], description: '' },
  ...commonSpecs,
];
const lineArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .tuple(fc.constantFrom('Clients', 'Subjects', 'OneToOne', 'LocalPorts', 'Mode', 'Interval', 'Nope', ''), fc.string({ maxLength: 20 }))
    .map(([k, v]) => `${k} = ${v}`),
);

test('fuzz: the config parser resolves or reports ConfigErrors with a location', () => {
  fc.assert(
    fc.property(
      fc.array(lineArb, { maxLength: 12 }).map((l) => l.join('\n')),
      (text) => {
        try {
          resolveConfig({ specs, file: { path: 'f.conf', text } });
        } catch (err) {
          assert.ok(err instanceof ConfigErrors, `${(err as Error).name}: ${(err as Error).message}`);
          for (const e of err.errors) assert.match(e.toLine(), /^f\.conf:\d+: /);
        }
      },
    ),
    { numRuns: 3000 },
  );
});
