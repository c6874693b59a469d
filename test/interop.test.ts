import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { connect as natsConnect } from 'nats';
import { newStamp, readStamp, type Stamp } from '@mdbench/core/internal';
import { startMosquitto, startNats } from '../tools/harness/brokers.mjs';
import { Proc, run, sleep, summaryOf } from '../tools/harness/processes.mjs';
import { makeCerts } from '../tools/harness/certs.mjs';

// mdbench speaks the brokers' protocols as the official clients do: an MQTT.js and a nats.js
// subscriber receive mdbench-publisher's messages (and the stamps decode), and messages published
// by those clients reach mdbench-client, where they are counted as unstamped.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-interop-'));
const SUBJECTS = '/p/s{1..5}/-';

/** Checks the stamps of the payloads one official client received from one mdbench-publisher. */
function assertStamps(payloads: Buffer[], expected: number, size: number): void {
  assert.equal(payloads.length, expected);
  const bySubjectSeq: Stamp[] = [];
  for (const p of payloads) {
    assert.equal(p.length, size, 'the payload is exactly MessageSize bytes');
    const st = newStamp();
    assert.ok(readStamp(p, 0, p.length, st), 'the stamp decodes');
    bySubjectSeq.push(st);
  }
  assert.equal(new Set(bySubjectSeq.map((s) => s.publisherId)).size, 1, 'one publisher id');
  for (const s of bySubjectSeq) assert.ok(s.sentUs >= s.scheduledUs && s.seq >= 1);
}

test("nats.js receives mdbench-publisher's messages over NATS (stamps decode); its own messages reach mdbench-client as unstamped", async () => {
  const broker = await startNats();
  try {
    const nc = await natsConnect({ servers: `127.0.0.1:${broker.tcpPort}` });
    const got: Buffer[] = [];
    const sub = nc.subscribe('>', { callback: (_e, m) => got.push(Buffer.from(m.data)) });
    await nc.flush();
    const pub = await run('publisher', [
      '-s',
      broker.url,
      '--protocol',
      'nats',
      '--subjects',
      SUBJECTS,
      '--frequency',
      '200',
      '--messages',
      '300',
      '--message-size',
      '100',
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    await sleep(500);
    assertStamps(got, 300, 100);
    sub.unsubscribe();

    const json = join(dir, 'nats-client.jsonl');
    const client = new Proc('client', [
      '-s',
      broker.url,
      '--protocol',
      'nats',
      '--clients',
      '5',
      '--subjects',
      SUBJECTS,
      '--one-to-one',
      '--interval',
      '1',
      '--duration',
      '30',
      '--json',
      json,
    ]);
    await client.waitFor(/Connected: 5 open, 5 subscribed/);
    for (let i = 0; i < 50; i++) nc.publish(`/p/s${(i % 5) + 1}/-`, Buffer.from(`hello from nats.js ${i}`));
    await nc.flush();
    await run('publisher', ['-s', broker.url, '--protocol', 'nats', '--subjects', SUBJECTS, '--frequency', '100', '--messages', '20']);
    await sleep(1500);
    client.kill('SIGINT');
    assert.equal(await client.exited, 0, client.stdout.slice(-2000));
    const s = summaryOf(json);
    assert.equal(s.counters.unstamped, 50);
    assert.equal(s.counters.messages, 20, 'stamped messages are measured beside them');
    assert.match(client.stdout, /Integrity: 0 lost \(gaps\), 0 duplicates, 0 out of order, 50 unstamped/);
    await nc.close();
  } finally {
    await broker.stop();
  }
});

test("MQTT.js receives mdbench-publisher's messages over MQTT at QoS 1 (stamps decode); its own messages reach mdbench-client as unstamped", async () => {
  const broker = await startMosquitto();
  try {
    const mc = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const got: Buffer[] = [];
    mc.on('message', (_t, payload) => got.push(Buffer.from(payload)));
    await mc.subscribeAsync('/p/#', { qos: 1 });
    const pub = await run('publisher', [
      '-s',
      broker.url,
      '--protocol',
      'mqtt',
      '--qos',
      '1',
      '--subjects',
      SUBJECTS,
      '--frequency',
      '200',
      '--messages',
      '300',
      '--message-size',
      '64',
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    assert.match(pub.stdout, /Acknowledgements: 300 acknowledged, 0 in flight/);
    await sleep(500);
    assertStamps(got, 300, 64);

    const json = join(dir, 'mqtt-client.jsonl');
    const client = new Proc('client', [
      '-s',
      broker.url,
      '--protocol',
      'mqtt',
      '--clients',
      '5',
      '--subjects',
      SUBJECTS,
      '--one-to-one',
      '--interval',
      '1',
      '--duration',
      '30',
      '--json',
      json,
    ]);
    await client.waitFor(/Connected: 5 open, 5 subscribed/);
    for (let i = 0; i < 50; i++) await mc.publishAsync(`/p/s${(i % 5) + 1}/-`, `hello from MQTT.js ${i}`, { qos: 1 });
    await sleep(1500);
    client.kill('SIGINT');
    assert.equal(await client.exited, 0, client.stdout.slice(-2000));
    assert.equal(summaryOf(json).counters.unstamped, 50);
    await mc.endAsync();
  } finally {
    await broker.stop();
  }
});

test("MQTT.js over wss:// receives mdbench-publisher's wss:// messages (stamps decode, sizes exact)", async () => {
  const certs = makeCerts();
  const broker = await startMosquitto({ tls: { cert: certs.cert, key: certs.key } });
  try {
    const mc = await mqtt.connectAsync(broker.url, { protocolVersion: 5, ca: readFileSync(certs.ca) });
    const got: Buffer[] = [];
    mc.on('message', (_t, payload) => got.push(Buffer.from(payload)));
    await mc.subscribeAsync('/p/#', { qos: 1 });
    const pub = await run('publisher', [
      '-s',
      broker.url,
      '--tls-ca',
      certs.ca,
      '--protocol',
      'mqtt',
      '--qos',
      '1',
      '--subjects',
      SUBJECTS,
      '--frequency',
      '200',
      '--messages',
      '300',
      '--message-size',
      '64',
    ]);
    assert.equal(pub.code, 0, pub.stdout + pub.stderr);
    assert.match(pub.stdout, /TLS handshakes: 1 full, 0 resumed/);
    for (let t = 0; t < 50 && got.length < 300; t++) await sleep(100);
    assertStamps(got, 300, 64);
    await mc.endAsync();
  } finally {
    await broker.stop();
  }
});
