import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrors, parseConfigText, resolveConfig } from '@mdbench/core/internal';
import { clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';
import { serverSpecs } from '@mdbench/server';
import { reportCommand } from '@mdbench/report';

// The real tables of the tools: a regression in any of them fails these tests.

test('comments, blank lines and spacing', () => {
  const { entries, errors } = parseConfigText('# only a comment\n\n  Clients=5   # five\nSubjects = /a/{1..2} # x\n', 'f');
  assert.deepEqual(errors, []);
  assert.deepEqual(entries, [
    { key: 'Clients', value: '5', line: 3 },
    { key: 'Subjects', value: '/a/{1..2}', line: 4 },
  ]);
});

test('every problem of a bad file is reported at once with file, line and key', () => {
  const text = [
    'Clients = many',
    'Subjectz = /p/s{1..3}',
    'this line has no equals sign',
    'OneToOne = perhaps',
    'Clients = 5',
    'LocalPorts = 70000-80000',
    'Subjects = /p/{1..',
    'BufferSize =',
  ].join('\n');
  try {
    resolveConfig({ specs: clientSpecs, file: { path: 'bad.conf', text } });
    assert.fail('should throw');
  } catch (err) {
    assert.ok(err instanceof ConfigErrors);
    const lines = err.toLine().split('\n');
    assert.deepEqual(lines, [
      'bad.conf:3: expected "Key = value", found "this line has no equals sign"',
      'bad.conf:8: BufferSize: has no value',
      'bad.conf:1: Clients: "many" is not a whole number',
      'bad.conf:2: Subjectz: unknown key (did you mean Subjects?)',
      'bad.conf:4: OneToOne: "perhaps" is not true or false',
      'bad.conf:5: Clients: set twice (first on line 1)',
      'bad.conf:6: LocalPorts: port range 70000-80000 must lie within 1-65535, low to high',
      'bad.conf:7: Subjects: "/p/{1.." has a "{" with no matching "}" at column 4',
    ]);
  }
});

test('precedence: defaults < file < environment < flags', () => {
  const file = { path: 'c.conf', text: 'Clients = 10\nSubjectsPerClient = 2\nBufferSize = 2048\n' };
  const r = resolveConfig({ specs: clientSpecs, file, env: { MDBENCH_SUBJECTS_PER_CLIENT: '3', MDBENCH_BUFFER_SIZE: '4096' }, flags: { bufferSize: '8192' } });
  assert.equal(r.values.clients, 10);
  assert.equal(r.values.subjectsPerClient, 3);
  assert.equal(r.values.bufferSize, 8192);
  assert.equal(r.values.workers, undefined);
  assert.equal(r.values.interval, 5);
  assert.deepEqual(r.origins.bufferSize, { file: 'command line', key: '--buffer-size' });
});

test('flag errors name the flag', () => {
  assert.throws(() => resolveConfig({ specs: clientSpecs, flags: { clients: '0' } }), /command line: --clients: must be at least 1, got 0/);
  assert.throws(() => resolveConfig({ specs: clientSpecs, flags: { subjects: '' } }), /--subjects: the pattern is empty: it expands to nothing/);
});

test('every table: names, flags, file keys and environment variables are unique; defaults pass their own validation', () => {
  for (const [tool, specs] of [
    ['client', clientSpecs],
    ['publisher', publisherSpecs],
    ['server', serverSpecs],
    ['report', reportCommand.specs],
  ] as const) {
    for (const field of ['name', 'flag', 'key', 'short'] as const) {
      const values = specs.map((s) => (s as Record<string, unknown>)[field]).filter((v) => v !== undefined);
      assert.equal(new Set(values.map((v) => String(v).toLowerCase())).size, values.length, `${tool}: duplicate ${field}`);
    }
    // Resolving from defaults alone validates nothing, so feed every default back through its parser as text.
    const flags: Record<string, string> = {};
    for (const s of specs) {
      if (s.default === undefined || !s.flag) continue;
      const d = s.default as { from?: number; to?: number };
      flags[s.name] = typeof d === 'object' && d !== null ? `${d.from}-${d.to}` : String(s.default);
    }
    const r = resolveConfig({ specs, flags });
    for (const s of specs)
      if (s.default !== undefined && s.flag) assert.deepEqual(r.values[s.name as keyof typeof r.values], s.default, `${tool}: default of --${s.flag}`);
  }
});

test('README.md and docs/errors.md say what the option, exit-code and error tables say', async () => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [new URL('../tools/dev/gen-docs.mjs', import.meta.url).pathname, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
