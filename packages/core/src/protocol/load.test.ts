import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MdbenchError } from '../errors.js';
import { loadProtocol } from './load.js';

const options = { role: 'subscriber' as const, qos: 0, mqttVersion: 4, keepaliveS: 30, window: 0 };
const where = { file: 'command line', key: '--protocol' };
const dir = mkdtempSync(join(tmpdir(), 'mdbench-plugin-'));

async function fails(name: string, re: RegExp): Promise<void> {
  await assert.rejects(
    loadProtocol(name, options, () => where, '/'),
    (err: unknown) => {
      assert.ok(err instanceof MdbenchError);
      assert.equal(err.code, 'MDB_PLUGIN');
      assert.equal(err.exitCode, 2);
      assert.match(err.toLine(), re);
      assert.doesNotMatch(err.toLine(), /\n/);
      return true;
    },
  );
}

test('built-ins by name', async () => {
  for (const n of ['native', 'nats', 'mqtt', 'stomp', 'graphql-ws']) assert.equal((await loadProtocol(n, options, () => where, '/')).name, n);
});

test('an unknown name, a missing file, a module without create, a protocol lacking a method: one line each, exit 2', async () => {
  await fails('amqp', /^command line: --protocol: unknown protocol "amqp" \(built in: native, nats, mqtt, stomp/);
  await fails(join(dir, 'nope.mjs'), /protocol plug-in .*nope\.mjs does not exist/);
  writeFileSync(join(dir, 'empty.mjs'), 'export const x = 1;\n');
  await fails(join(dir, 'empty.mjs'), /exports no create\(options\) function/);
  writeFileSync(join(dir, 'partial.mjs'), "export function create() { return { name: 'p', open() {}, receive() {}, publishBytes() { return 0; } }; }\n");
  await fails(join(dir, 'partial.mjs'), /lacks the method writePublish\(\)/);
  writeFileSync(join(dir, 'broken.mjs'), 'export function create( {\n');
  await fails(join(dir, 'broken.mjs'), /cannot be loaded: /);
});

test('a plug-in exporting create on its default export loads', async () => {
  writeFileSync(
    join(dir, 'ok.mjs'),
    "export default { create: (o) => ({ name: 'ok-' + o.role, open() {}, receive() {}, publishBytes: () => 0, writePublish: (_b, at) => at }) };\n",
  );
  assert.equal((await loadProtocol(join(dir, 'ok.mjs'), options, () => where, '/')).name, 'ok-subscriber');
});

test('a loaded protocol runs with its own state and filled defaults: MQTT (a parser keeping the session on its object) gets through CONNACK and SUBACK', async () => {
  const mqttPacket = (await import('mqtt-packet')).default;
  const { FakeSession } = await import('../testing.js');
  const gen = (p: Record<string, unknown>) => mqttPacket.generate(p as never, { protocolVersion: 4 });
  const p = await loadProtocol('mqtt', { role: 'subscriber', qos: 0, mqttVersion: 4, keepaliveS: 30, window: 10 }, () => ({ file: 'test' }), '/');
  const s = new FakeSession('subscriber', ['/p/s1/-']);
  p.open(s);
  p.receive(s, gen({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
  p.receive(s, gen({ cmd: 'suback', messageId: 1, granted: [0] }));
  assert.deepEqual(
    s.events.map((e) => e.kind),
    ['connected', 'subscribed'],
  );
  assert.deepEqual(
    [p.stamp, p.keepaliveMs, p.can],
    ['binary', 30_000, { timeProbe: false, acks: false, keepalive: true, request: false, respond: false, subscribeByPath: false }],
  );
  const native = await loadProtocol('native', { role: 'subscriber', qos: 0, mqttVersion: 4, keepaliveS: 30, window: 10 }, () => ({ file: 'test' }), '/');
  assert.equal(native.can.timeProbe, true);
  assert.equal(native.topic('/p/s1/-'), '/p/s1/-');
});
