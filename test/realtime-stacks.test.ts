import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { newStamp, readStamp } from '@mdbench/core/internal';
import { startExample, type Broker } from '../tools/harness/brokers.mjs';
import { Proc, run, sleep } from '../tools/harness/processes.mjs';
import { N, RATE, type ServerCase, restartRun } from './helpers/restart-run.js';

// Socket.IO and GraphQL subscriptions (graphql-ws) against the example servers users copy
// (examples/socketio-server: the real socket.io package; examples/graphql-server: graphql-js and
// graphql-ws over ws): the restart run of the brokers, interop with each stack's own client both
// ways, and the refusals a server can make.

const cases: ServerCase[] = [
  { name: 'Socket.IO', protocol: 'socket.io', args: [], start: (p) => startExample('socketio-server', { wsPort: p }), downMs: 1000 },
  {
    name: 'GraphQL subscriptions (graphql-ws)',
    protocol: 'graphql-ws',
    args: [],
    start: (p) => startExample('graphql-server', { wsPort: p }),
    downMs: 1000,
    // The example server is one process running graphql-js per message: at 1,000 msg/s beside the
    // other lanes and a busy loop it fell behind (3,576 of 92,673 unaccounted); half that rate.
    rate: 500,
  },
];

for (const c of cases) {
  test(`${c.name}: ${N.toLocaleString('en-US')} subscribers, ${(c.rate ?? RATE).toLocaleString('en-US')} msg/s, every message accounted; the server killed and restarted mid-run`, () =>
    restartRun(c));
}

const SIZE = 300;
const MESSAGES = 40;

/** mdbench-publisher's messages to the server, `MESSAGES` on one subject. */
function publish(server: Broker, protocol: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('publisher', [
    '-p',
    protocol,
    '-s',
    server.url,
    '--subjects',
    '/p/s1/-',
    '--frequency',
    '200',
    '--messages',
    String(MESSAGES),
    '--message-size',
    String(SIZE),
  ]);
}

/** An mdbench-client of one connection on /p/s1/-, once subscribed. */
async function subscriber(server: Broker, protocol: string): Promise<Proc> {
  const client = new Proc('client', ['-p', protocol, '-s', server.url, '--clients', '1', '--subjects', '/p/s1/-', '--interval', '1', '--duration', '60']);
  await client.waitFor(/Connected: 1 open, 1 subscribed, 0 failed/, 20_000);
  return client;
}

/** Stops the client and returns its Total messages and Integrity lines. */
async function totals(client: Proc, want: RegExp): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (!want.test(client.stdout) && Date.now() < deadline) await sleep(200);
  client.kill('SIGINT');
  await client.exited;
  return client.stdout.slice(client.stdout.lastIndexOf('Summary: whole run'));
}

test("Socket.IO interop: socket.io-client receives mdbench-publisher's messages (binary, exactly MessageSize bytes, stamps decode); its own messages reach mdbench-client as unstamped", async () => {
  const server = await startExample('socketio-server');
  let sock: Socket | null = null;
  try {
    sock = ioClient(`http://${server.url}`, { transports: ['websocket'], reconnection: false });
    const got: Buffer[] = [];
    sock.on('message', (_subject: string, payload: Buffer) => got.push(payload));
    await new Promise<void>((resolve) => sock?.emit('subscribe', '/p/s1/-', () => resolve()));
    const pub = await publish(server, 'socket.io');
    assert.equal(pub.code, 0, pub.stderr);
    for (const end = Date.now() + 10_000; got.length < MESSAGES && Date.now() < end; ) await sleep(50);
    assert.equal(got.length, MESSAGES);
    const st = newStamp();
    const seqs = got.map((b) => {
      assert.ok(Buffer.isBuffer(b) && b.length === SIZE, `a binary payload of ${SIZE} bytes, got ${typeof b} ${b?.length}`);
      assert.ok(readStamp(b, 0, b.length, st));
      return st.seq;
    });
    assert.deepEqual(
      seqs,
      Array.from({ length: MESSAGES }, (_, k) => k + 1),
    );

    const client = await subscriber(server, 'socket.io');
    for (let k = 0; k < 5; k++) sock.emit('publish', '/p/s1/-', `plain message ${k}`);
    sock.emit('publish', '/p/s1/-', Buffer.from('binary, but no stamp'));
    const summary = await totals(client, /unstamped: 6|6 unstamped/);
    assert.match(summary, /Integrity: 0 lost \(gaps\), 0 duplicates, 0 out of order, 6 unstamped/);
  } finally {
    sock?.close();
    await server.stop();
  }
});

test("GraphQL interop: the graphql-ws client receives mdbench-publisher's messages (strings of exactly MessageSize characters, stamps decode); its mutations reach mdbench-client as unstamped", async () => {
  const server = await startExample('graphql-server');
  const gql = createClient({ url: `ws://${server.url}/`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
  try {
    const got: string[] = [];
    const subscribed = new Promise<void>((resolve, reject) => {
      gql.subscribe(
        { query: 'subscription { messages(subject: "/p/s1/-") }' },
        { next: (r) => got.push((r.data as { messages: string }).messages), error: reject, complete: () => {} },
      );
      // The subscription is registered once its subscribe is read; a round trip after it tells.
      setTimeout(resolve, 500);
    });
    await subscribed;
    const pub = await publish(server, 'graphql-ws');
    assert.equal(pub.code, 0, pub.stderr);
    for (const end = Date.now() + 10_000; got.length < MESSAGES && Date.now() < end; ) await sleep(50);
    assert.equal(got.length, MESSAGES);
    const st = newStamp();
    const seqs = got.map((text) => {
      assert.equal(text.length, SIZE);
      assert.ok(readStamp(Buffer.from(text, 'latin1'), 0, text.length, st));
      return st.seq;
    });
    assert.deepEqual(
      seqs,
      Array.from({ length: MESSAGES }, (_, k) => k + 1),
    );

    const client = await subscriber(server, 'graphql-ws');
    for (let k = 0; k < 5; k++) {
      await new Promise<void>((resolve, reject) =>
        gql.subscribe({ query: `mutation { publish(subject: "/p/s1/-", payload: "plain ${k}") }` }, { next: () => {}, error: reject, complete: resolve }),
      );
    }
    const summary = await totals(client, /5 unstamped/);
    assert.match(summary, /Integrity: 0 lost \(gaps\), 0 duplicates, 0 out of order, 5 unstamped/);
  } finally {
    await gql.dispose();
    await server.stop();
  }
});

test("refusals, counted by cause with the server's reason (exit 1): a Socket.IO namespace, a GraphQL subscription the schema lacks; a template without $subject is exit 2 before any connection", async () => {
  const sio = await startExample('socketio-server');
  const gqls = await startExample('graphql-server');
  try {
    const ns = await run('client', ['-p', 'socket.io', '-s', sio.url, '--sio-namespace', '/private', '--clients', '3', '--duration', '3', '--interval', '1']);
    assert.equal(ns.code, 1, ns.stderr);
    assert.match(ns.stdout, /socket\.io: namespace refused [\d,]+/);
    assert.match(ns.stdout + ns.stderr, /not authorized/);
    const op = await run('client', [
      '-p',
      'graphql-ws',
      '-s',
      gqls.url,
      '--gql-subscription',
      'subscription ($subject: String!) { nope(subject: $subject) }',
      '--clients',
      '3',
      '--duration',
      '3',
      '--interval',
      '1',
    ]);
    assert.equal(op.code, 1, op.stderr);
    assert.match(op.stdout, /graphql: Cannot query field "nope" on type "Subscription"/);
    const bad = await run('client', ['-p', 'graphql-ws', '-s', '127.0.0.1:9', '--gql-subscription', 'subscription { messages }']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^mdbench-client: error: command line: --gql-subscription: "subscription \{ messages \}" uses no \$subject/m);
    const badEvent = await run('publisher', ['-p', 'socket.io', '-s', '127.0.0.1:9', '--sio-publish-event', '']);
    assert.equal(badEvent.code, 2, badEvent.stderr);
    assert.match(badEvent.stderr, /--sio-publish-event: an empty event name/);
  } finally {
    await sio.stop();
    await gqls.stop();
  }
});

test('the Socket.IO example over 2 processes (node:cluster, the cluster adapter): 400 subscribers spread over both, every message reaches every one', async () => {
  const server = await startExample('socketio-server', { args: ['--workers', '2'] });
  try {
    const client = new Proc('client', [
      '-p',
      'socket.io',
      '-s',
      server.url,
      '--clients',
      '400',
      '--subjects',
      '/p/s{1..10}/-',
      '--one-to-one',
      '--interval',
      '1',
      '--duration',
      '60',
    ]);
    await client.waitFor(/Connected: 400 open, 400 subscribed, 0 failed/, 30_000);
    const pub = await run('publisher', [
      '-p',
      'socket.io',
      '-s',
      server.url,
      '--subjects',
      '/p/s{1..10}/-',
      '--frequency',
      '500',
      '--messages',
      '1000',
      '--connections',
      '2',
    ]);
    assert.equal(pub.code, 0, pub.stderr);
    // Every subscriber of a subject gets each of its messages: 400 subscribers over 10 subjects.
    const summary = await totals(client, /Total messages: 40,000/);
    assert.match(summary, /Total messages: 40,000/);
    assert.match(summary, /Integrity: 0 lost \(gaps\), 0 duplicates, 0 out of order, 0 unstamped/);
  } finally {
    await server.stop();
  }
});
