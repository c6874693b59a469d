import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig, type OptionSpec } from '@mdbench/core/internal';
import { clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';
import { serverSpecs } from '@mdbench/server';

const examples = new URL('../examples/article/', import.meta.url).pathname;

function load(specs: OptionSpec[], file: string) {
  return resolveConfig({ specs, file: { path: file, text: readFileSync(join(examples, file), 'utf8') } });
}

test("the article's client files parse as printed", () => {
  const r = load(clientSpecs, 'client-1.conf');
  assert.equal(r.values.clients, 1_200_000);
  assert.equal(r.values.subjects, '/p/s{1...1200000}/-');
  assert.equal(r.values.subjectsPerClient, 1);
  assert.equal(r.values.oneToOne, true);
  assert.equal(r.values.localAddresses, '192.168.{10..30}.101');
  assert.equal(r.values.bufferSize, 1024);
  assert.equal(r.values.memory, 9000);
  assert.equal(r.values.serverAddresses, '192.168.3.115:8800');
  assert.equal(load(clientSpecs, 'client-10.conf').values.subjects, '/p/s{10800001...12000000}/-');
});

test("the article's publisher files parse as printed", () => {
  const r = load(publisherSpecs, 'publisher-1.conf');
  assert.equal(r.values.publisherType, 'p');
  assert.equal(r.values.subjects, '/s{1..1500000}/-');
  assert.equal(r.values.frequency, 25000);
  assert.equal(r.values.messageSize, 512);
  assert.equal(r.values.memory, 7700);
  assert.equal(load(publisherSpecs, 'publisher-8.conf').values.subjects, '/s{10500001..12000000}/-');
});

test("the article's server file parses, with a warning for each Java-only key", () => {
  const r = load(serverSpecs, 'server.conf');
  assert.equal(r.values.listen, '*:8800');
  assert.equal(r.values.bufferLimitSend, 800);
  assert.equal(r.values.bufferLimitReceive, 800);
  assert.equal(r.values.cacheSize, 0);
  assert.equal(r.values.benchmarkMode, true);
  assert.equal(r.values.monitor, 'JMX');
  assert.equal(r.warnings.length, 2);
  assert.match(r.warnings[0], /server\.conf:6: MonitorJMX\.Listen has no effect/);
});

test('every example file parses', () => {
  for (const dir of ['article', 'loopback']) {
    const folder = join(examples, '..', dir);
    for (const f of readdirSync(folder).filter((x) => x.endsWith('.conf'))) {
      const specs = f.startsWith('client') ? clientSpecs : f.startsWith('publisher') ? publisherSpecs : serverSpecs;
      assert.doesNotThrow(() => resolveConfig({ specs, file: { path: f, text: readFileSync(join(folder, f), 'utf8') } }), f);
    }
  }
});
