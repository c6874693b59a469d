import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { FrameType, encodeSubjectList, decodeSubjectList } from '@mdbench/core/internal';
import { io as ioClient } from 'socket.io-client';
import { connect as natsConnect } from 'nats';
import { connectAsync as mqttConnect } from 'mqtt';
import { type Broker, startExample, startMosquitto, startNats, startRabbit } from '../tools/harness/brokers.mjs';
import { Proc, run, startServer, summaryOf } from '../tools/harness/processes.mjs';

// Request/response (--request-rate): every connection makes requests by the protocol's own
// mechanism (the native REQUEST, answered by mdbench-server), each reply matched by id and its
// round trip measured on the client's one clock; a server that does not answer shows as timeouts.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-rr-'));

test('requests to mdbench-server: every request answered and its round trip measured; the server counts what it answered; rtt thresholds judged', async () => {
  const server = await startServer();
  const json = join(dir, 'native.jsonl');
  try {
    const r = await run('client', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      '200',
      '--subjects',
      '/p/s{1..20}/-',
      '--one-to-one',
      '--request-rate',
      '5',
      '--duration',
      '6',
      '--interval',
      '1',
      '--thresholds',
      'rtt.p99<500ms,timeouts=0',
      '--json',
      json,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Requesting: 200 connections request 5\.00 requests\/sec each \(1,000\.0 in all\)/);
    const s = summaryOf(json);
    const k = s.counters;
    assert.ok(k.requests > 2000, `requests ${k.requests}`);
    assert.equal(k.replies, k.requests);
    assert.equal(k.requestTimeouts ?? 0, 0);
    assert.equal(s.rtt.welford.count, k.requests);
    assert.ok(s.rtt.welford.mean > 0 && s.rtt.welford.max < 5_000_000, JSON.stringify(s.rtt.welford));
    assert.match(
      r.stdout,
      new RegExp(
        `Round trip: mean [\\d.]+ ms, p50 [\\d.]+ ms / p90 [\\d.]+ ms / p99 [\\d.]+ ms / max [\\d.]+ ms, ${k.replies.toLocaleString('en-US')} replies to ${k.requests.toLocaleString('en-US')} requests, 0 timeouts`,
      ),
    );
    assert.match(r.stdout, /Threshold: rtt\.p99<500ms passed/);
    // The server's own count of what it answered, over its monitor endpoint (its workers report once a second).
    let answered = 0;
    for (let i = 0; i < 50 && answered < k.requests; i++) {
      answered = (await server.get('/stats')).totals.requests;
      if (answered < k.requests) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(answered, k.requests);
  } finally {
    await server.stop();
  }
});

/** A client run making 5 requests a second a connection for 5 s: more than `atLeast` made, every one answered once, none late or timed out. */
async function everyRequestAnswered(args: string[], json: string, atLeast: number): Promise<Record<string, number>> {
  const r = await run('client', [...args, '--request-rate', '5', '--duration', '5', '--interval', '1', '--json', json]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const k = summaryOf(json).counters;
  assert.ok(k.requests > atLeast, `requests ${k.requests}`);
  assert.equal(k.replies, k.requests);
  assert.equal(k.requestTimeouts ?? 0, 0);
  assert.equal(k.lateReplies ?? 0, 0);
  return k;
}

test('requests to the Socket.IO example server: the request event with an acknowledgement, the acknowledgement the reply; socket.io-client gets the same answer', async () => {
  const server = await startExample('socketio-server');
  const json = join(dir, 'sio.jsonl');
  try {
    await everyRequestAnswered(['-p', 'socket.io', '-s', server.url, '--clients', '100', '--subjects', '/p/s{1..10}/-'], json, 1000);
    // The stack's own client: the same event, acknowledged with the payload.
    const sio = ioClient(`http://${server.url}`, { transports: ['websocket'], reconnection: false });
    try {
      assert.equal(await sio.timeout(5000).emitWithAck('request', '/p/s1/-', 'ping-42'), 'ping-42');
    } finally {
      sio.close();
    }
  } finally {
    await server.stop();
  }
});

/**
 * Requests through a broker that answers none itself, answered by mdbench-publisher --respond (2
 * connections sharing the subjects): every request answered once (none twice: no late replies);
 * then `askOwn`, when given, asks the same responder with the stack's own client, and the
 * responder's count is the client's requests and that one.
 */
async function respondedRun(broker: Broker, protocolArgs: string[], json: string, askOwn?: () => Promise<void>, clients = 200): Promise<void> {
  const responder = new Proc('publisher', [
    ...protocolArgs,
    '-s',
    broker.url,
    '--respond',
    '--subjects',
    '/p/s{1..20}/-',
    '--connections',
    '2',
    '--interval',
    '1',
  ]);
  try {
    await responder.waitFor(/Responding: to requests on 20 subjects over 2 \S+ connection\(s\)/, 20_000);
    const k = await everyRequestAnswered(
      [...protocolArgs, '-s', broker.url, '--clients', String(clients), '--subjects', '/p/s{1..20}/-', '--one-to-one'],
      json,
      clients * 10,
    );
    await askOwn?.();
    responder.kill('SIGINT');
    assert.equal(await responder.exited, 0, responder.stdout + responder.stderr);
    const answered = Number(/Summary: ([\d,]+) requests answered/.exec(responder.stdout)?.[1].replace(/,/g, ''));
    assert.equal(answered, k.requests + (askOwn ? 1 : 0));
  } finally {
    responder.kill('SIGKILL');
    await broker.stop();
  }
}

test('requests through nats-server, answered by mdbench-publisher --respond (a queue group): every request answered once; the nats package gets the same answer', async () => {
  const nats = await startNats();
  await respondedRun(nats, ['-p', 'nats'], join(dir, 'nats.jsonl'), async () => {
    const nc = await natsConnect({ servers: `127.0.0.1:${nats.tcpPort}` });
    try {
      const reply = await nc.request('/p/s7/-', Buffer.from('ping-7'), { timeout: 5000 });
      assert.equal(Buffer.from(reply.data).toString(), 'ping-7');
    } finally {
      await nc.close();
    }
  });
});

test('STOMP requests through RabbitMQ (reply-to a temporary queue, the id as correlation-id), answered by mdbench-publisher --respond sharing one queue: every request answered once', async () => {
  const rabbit = await startRabbit();
  // 250 requests/s (and as many replies): RabbitMQ's web-stomp carried 1,000 msg/s here at most (the brokers' test).
  await respondedRun(rabbit, ['-p', 'stomp'], join(dir, 'stomp.jsonl'), undefined, 50);
});

test('graphql-ws requests to the example server: each an operation of its own (--gql-request, `echo` here) whose result is the reply; every request answered once', async () => {
  const server = await startExample('graphql-server');
  try {
    await everyRequestAnswered(['-p', 'graphql-ws', '-s', server.url, '--clients', '100', '--subjects', '/p/s{1..10}/-'], join(dir, 'gql.jsonl'), 1000);
  } finally {
    await server.stop();
  }
});

test('MQTT 5 requests through Mosquitto (response topic and correlation data), answered by mdbench-publisher --respond in a shared subscription: every request answered once; mqtt.js gets the same answer with its correlation data', async () => {
  const broker = await startMosquitto();
  await respondedRun(broker, ['-p', 'mqtt', '--mqtt-version', '5', '--qos', '1'], join(dir, 'mqtt5.jsonl'), async () => {
    const mc = await mqttConnect(`mqtt://127.0.0.1:${broker.tcpPort}`, { protocolVersion: 5, reconnectPeriod: 0 });
    try {
      await mc.subscribeAsync('js/reply');
      const got = new Promise<{ payload: string; correlation: string }>((resolve) =>
        mc.on('message', (_t, payload, packet) =>
          resolve({ payload: payload.toString(), correlation: Buffer.from(packet.properties?.correlationData ?? []).toString() }),
        ),
      );
      await mc.publishAsync('/p/s7/-', 'ping-7', { qos: 1, properties: { responseTopic: 'js/reply', correlationData: Buffer.from('js-42') } });
      assert.deepEqual(await got, { payload: 'ping-7', correlation: 'js-42' });
    } finally {
      await mc.endAsync();
    }
  });
});

test('a server that acknowledges subscriptions but never answers a request: every request times out, the run ends not ok on the timeouts threshold', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'mdbench.v1' });
  await new Promise((r) => wss.once('listening', r));
  let requests = 0;
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      if (data[0] === FrameType.SUBSCRIBE) ws.send(encodeSubjectList(FrameType.SUBACK, decodeSubjectList(data)));
      else if (data[0] === FrameType.REQUEST) requests++;
    });
  });
  const json = join(dir, 'silent.jsonl');
  try {
    const r = await run('client', [
      '-s',
      `127.0.0.1:${(wss.address() as { port: number }).port}`,
      '--clients',
      '20',
      '--subjects',
      '/p/s1/-',
      '--request-rate',
      '10',
      '--request-timeout',
      '0.5',
      '--duration',
      '4',
      '--interval',
      '1',
      '--clock-samples',
      '0',
      '--thresholds',
      'timeouts=0',
      '--json',
      json,
    ]);
    assert.notEqual(r.code, 0, r.stdout);
    const k = summaryOf(json).counters;
    assert.ok(k.requests > 200, `requests ${k.requests}`);
    assert.equal(k.requests, requests);
    assert.equal(k.replies ?? 0, 0);
    assert.equal(k.requestTimeouts, k.requests);
    assert.match(r.stdout, /Threshold: timeouts=0 FAILED/);
  } finally {
    wss.close();
  }
});

test('requests that cannot work: a protocol without a request mechanism, a responder on a protocol that cannot answer, a rate that is not a number: one line naming the option, exit 2', async () => {
  // MQTT 3.1.1 has no request/response (5.0 has: response topic and correlation data).
  const responder = await run('publisher', ['-p', 'mqtt', '-s', '127.0.0.1:1', '--respond']);
  assert.equal(responder.code, 2, responder.stderr);
  assert.match(responder.stderr, /Respond|--respond/);
  assert.match(responder.stderr, /mqtt protocol cannot answer requests as a responder/);
  const mqtt311 = await run('client', ['-p', 'mqtt', '-s', '127.0.0.1:1', '--request-rate', '1']);
  assert.equal(mqtt311.code, 2, mqtt311.stderr);
  assert.match(mqtt311.stderr, /RequestRate|--request-rate/);
  assert.match(mqtt311.stderr, /mqtt protocol has no request\/response mechanism/);
  assert.equal(mqtt311.stderr.trim().split('\n').length, 1, mqtt311.stderr);
  const bad = await run('client', ['--request-timeout', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--request-timeout/);
});
