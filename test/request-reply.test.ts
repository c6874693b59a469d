import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { FrameType, encodeSubjectList, decodeSubjectList } from '@mdbench/core';
import { io as ioClient } from 'socket.io-client';
import { startExample } from '../tools/harness/brokers.mjs';
import { run, startServer, summaryOf } from '../tools/harness/processes.mjs';

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
    // The server's own count of what it answered, over its monitor endpoint.
    const stats = await server.get('/stats');
    assert.equal(stats.totals.requests, k.requests, JSON.stringify(stats.totals));
  } finally {
    await server.stop();
  }
});

test('requests to the Socket.IO example server: the request event with an acknowledgement, the acknowledgement the reply; socket.io-client gets the same answer', async () => {
  const server = await startExample('socketio-server');
  const json = join(dir, 'sio.jsonl');
  try {
    const r = await run('client', [
      '-p',
      'socket.io',
      '-s',
      server.url,
      '--clients',
      '100',
      '--subjects',
      '/p/s{1..10}/-',
      '--request-rate',
      '5',
      '--duration',
      '5',
      '--interval',
      '1',
      '--json',
      json,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const k = summaryOf(json).counters;
    assert.ok(k.requests > 1000, `requests ${k.requests}`);
    assert.equal(k.replies, k.requests);
    assert.equal(k.requestTimeouts ?? 0, 0);
    assert.equal(k.lateReplies ?? 0, 0);
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

test('requests that cannot work: a protocol without a request mechanism, a rate that is not a number: one line naming the option, exit 2', async () => {
  const stomp = await run('client', ['-p', 'stomp', '-s', '127.0.0.1:1', '--request-rate', '1']);
  assert.equal(stomp.code, 2, stomp.stderr);
  assert.match(stomp.stderr, /RequestRate|--request-rate/);
  assert.match(stomp.stderr, /stomp protocol has no request\/response mechanism/);
  assert.equal(stomp.stderr.trim().split('\n').length, 1, stomp.stderr);
  const bad = await run('client', ['--request-timeout', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--request-timeout/);
});
