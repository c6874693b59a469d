import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto, startNats, startRabbit } from '../tools/harness/brokers.mjs';
import { connects, run } from '../tools/harness/processes.mjs';

// What a user gets wrong: a protocol that does not exist or a plug-in that cannot work is one line
// and exit 2 before anything starts; a broker that refuses the login or a subscription is counted
// by cause, its reason shown, and the run ends with exit 1.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-refusals-'));

async function failsWith(tool: 'client' | 'publisher', args: string[], exit: number): Promise<string> {
  const r = await run(tool, args);
  assert.equal(r.code, exit, `${tool} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  return r.stderr;
}

test('bad --protocol: an unknown name, a missing plug-in file, a plug-in lacking a method: one line naming it, exit 2', async () => {
  for (const tool of ['client', 'publisher'] as const) {
    const unknown = await failsWith(tool, ['--protocol', 'amqp'], 2);
    assert.equal(
      unknown,
      `mdbench-${tool}: error: command line: --protocol: unknown protocol "amqp" (built in: native, nats, mqtt, stomp, socket.io, graphql-ws, plain; or the path of a plug-in module such as ./my-protocol.mjs)\n`,
    );
    assert.match(
      await failsWith(tool, ['--protocol', join(dir, 'missing.mjs')], 2),
      /^mdbench-\w+: error: command line: --protocol: protocol plug-in .*missing\.mjs does not exist\n$/,
    );
  }
  writeFileSync(join(dir, 'half.mjs'), "export function create() { return { name: 'half', open() {}, receive() {} }; }\n");
  const conf = join(dir, 'half.conf');
  writeFileSync(conf, `# a file naming the plug-in\nProtocol = ${join(dir, 'half.mjs')}\n`);
  assert.match(
    await failsWith('client', ['-c', conf], 2),
    /^mdbench-client: error: .*half\.conf:2: Protocol: protocol plug-in .*half\.mjs: the protocol lacks the method publishBytes\(\)\n$/,
  );
});

test('a login refused by NATS and by Mosquitto (3.1.1 and 5.0): counted by cause, the reason shown, exit 1', async () => {
  const nats = await startNats({ user: 'alice', password: 'right' });
  try {
    const r = await run('client', [
      '-s',
      nats.url,
      '--protocol',
      'nats',
      '--user',
      'alice',
      '--password',
      'wrong',
      '--clients',
      '3',
      '--duration',
      '3',
      '--interval',
      '1',
      '--reconnect-max',
      '0.5',
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\[WARN\] the server refused or reported: -ERR Authorization Violation/);
    assert.match(r.stdout, /Connection errors: .*-ERR Authorization Violation [\d,]+/);
    assert.match(r.stdout, /Result: errors: .*refusals by the server/);
    const ok = await connects(['-s', nats.url, '--protocol', 'nats', '--user', 'alice', '--password', 'right'], 3);
    assert.equal(ok.code, 0, ok.stdout);
  } finally {
    await nats.stop();
  }
  const mosquitto = await startMosquitto({ user: 'alice', password: 'right' });
  try {
    for (const [version, cause] of [
      ['3.1.1', 'CONNACK 5 not authorized'],
      ['5', 'CONNACK 0x87 not authorized'],
    ]) {
      const r = await run('client', [
        '-s',
        mosquitto.url,
        '--protocol',
        'mqtt',
        '--mqtt-version',
        version,
        '--user',
        'alice',
        '--password',
        'wrong',
        '--clients',
        '3',
        '--duration',
        '3',
        '--interval',
        '1',
        '--reconnect-max',
        '0.5',
      ]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`Connection errors: .*${cause} [\\d,]+`), `${version}: ${r.stdout.slice(-1500)}`);
      assert.match(r.stdout, /Result: errors: /);
    }
    const pub = await run('publisher', ['-s', mosquitto.url, '--protocol', 'mqtt', '--user', 'alice', '--password', 'wrong', '--messages', '10']);
    assert.equal(pub.code, 1, pub.stdout + pub.stderr);
    assert.match(pub.stderr, /^mdbench-publisher: error: publisher connection failed: CONNACK 5 not authorized\n$/);
  } finally {
    await mosquitto.stop();
  }
});

test('STOMP on RabbitMQ: a wrong passcode and an invalid destination are ERROR frames, counted by their message, exit 1', async () => {
  const rabbit = await startRabbit();
  try {
    const login = await run('client', [
      '-s',
      rabbit.url,
      '--protocol',
      'stomp',
      '--user',
      'guest',
      '--password',
      'wrong',
      '--clients',
      '2',
      '--duration',
      '3',
      '--interval',
      '1',
      '--reconnect-max',
      '0.5',
    ]);
    assert.equal(login.code, 1, login.stdout + login.stderr);
    assert.match(login.stdout, /\[WARN\] the server refused or reported: ERROR Bad CONNECT \(Bad CONNECT: Access refused for user 'guest'\)/);
    assert.match(login.stdout, /Connection errors: .*ERROR Bad CONNECT [\d,]+/);
    const dest = await run('client', [
      '-s',
      rabbit.url,
      '--protocol',
      'stomp',
      '--destination',
      '/nowhere/{dotted}',
      '--clients',
      '2',
      '--duration',
      '3',
      '--interval',
      '1',
      '--reconnect-max',
      '0.5',
    ]);
    assert.equal(dest.code, 1, dest.stdout + dest.stderr);
    assert.match(dest.stdout, /Connection errors: .*ERROR (Unknown|Invalid) destination [\d,]+/);
    assert.match(dest.stdout, /\[WARN\] the server refused or reported: ERROR (Unknown|Invalid) destination \(.*is not a valid/);
    assert.match(dest.stdout, /Result: errors: .*open connections not subscribed at the end|Result: errors: .*refusals by the server/);
  } finally {
    await rabbit.stop();
  }
});
