import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { duplexPair, type PairEnd } from '@mdbench/core/testing';
import { Opcode, buildUpgradeRequest, encodeClientFrame, newKey, readServerFrames } from '@mdbench/core/worker';
import { emptyWorkerStats } from '../worker-config.js';
import type { Peer } from './peer.js';
import { type MessageHandler, Peers } from './peers.js';

const MAX_PAYLOAD = 1024;

/** A Peers with one client end connected to it in memory, the time in the test's hands. */
function served(slow: { maxQueuedBytes: number; policy: 'drop' | 'disconnect' } = { maxQueuedBytes: 0, policy: 'disconnect' }) {
  const stats = emptyWorkerStats();
  const messages: string[] = [];
  const gone: Peer[] = [];
  const handler: MessageHandler = {
    onMessage: (_p, data) => messages.push(data.toString()),
    onGone: (p) => gone.push(p),
    subscribeStream: () => {},
  };
  const clock = { ms: 0 };
  const peers = new Peers({ subprotocols: ['t'] }, MAX_PAYLOAD, handler, stats, slow, () => clock.ms);
  const [client, server] = duplexPair();
  peers.accept(server as unknown as Socket);
  return { peers, stats, messages, gone, clock, client, server };
}

/** Everything the client end reads, and the server's frames in it once the upgrade's head is done. */
function reader(client: PairEnd) {
  let bytes = Buffer.alloc(0);
  let ended = false;
  client.on('data', (chunk: Buffer) => {
    bytes = Buffer.concat([bytes, chunk]);
  });
  client.on('end', () => {
    ended = true;
  });
  return {
    get text(): string {
      return bytes.toString('latin1');
    },
    get ended(): boolean {
      return ended;
    },
    frames(): { opcode: number; payload: Buffer }[] {
      const at = bytes.indexOf('\r\n\r\n');
      const out: { opcode: number; payload: Buffer }[] = [];
      readServerFrames(bytes, at + 4, bytes.length, 1 << 20, { onFrame: (_fin, opcode, payload) => out.push({ opcode, payload: Buffer.from(payload) }) });
      return out;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function upgrade(client: PairEnd): void {
  client.write(buildUpgradeRequest({ host: '127.0.0.1', port: 1, path: '/', key: newKey(), subprotocol: 't' }));
}

/** A frame with FIN cleared: the first or a middle fragment of a message. */
function fragment(opcode: number, payload: string): Buffer {
  const frame = encodeClientFrame(opcode, Buffer.from(payload));
  frame[0] &= 0x7f;
  return frame;
}

test('an upgraded peer: binary messages reach the handler, pings are answered, a close is echoed and the socket released', async () => {
  const { peers, messages, gone, client } = served();
  const read = reader(client);
  upgrade(client);
  await tick();
  assert.match(read.text, /^HTTP\/1\.1 101 /);
  assert.equal(peers.open.size, 1);
  client.write(encodeClientFrame(Opcode.BINARY, Buffer.from('one')));
  client.write(encodeClientFrame(Opcode.PING, Buffer.from('are you there')));
  client.write(encodeClientFrame(Opcode.CLOSE, Buffer.from([0x03, 0xe8])));
  await tick();
  assert.deepEqual(messages, ['one']);
  const frames = read.frames();
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.payload.toString('hex')]),
    [
      [Opcode.PONG, Buffer.from('are you there').toString('hex')],
      [Opcode.CLOSE, '03e8'],
    ],
  );
  client.end();
  await tick();
  await tick();
  assert.equal(peers.open.size, 0);
  assert.equal(gone.length, 1);
});

test('fragments are joined into one message; fragments over the receive limit together close with 1009', async () => {
  const { stats, messages, client } = served();
  const read = reader(client);
  upgrade(client);
  client.write(fragment(Opcode.BINARY, 'hel'));
  client.write(encodeClientFrame(Opcode.PING, Buffer.from('between')));
  client.write(encodeClientFrame(Opcode.CONTINUATION, Buffer.from('lo')));
  client.write(fragment(Opcode.BINARY, 'x'.repeat(MAX_PAYLOAD - 10)));
  client.write(encodeClientFrame(Opcode.CONTINUATION, Buffer.from('y'.repeat(20))));
  await tick();
  assert.deepEqual(messages, ['hello']);
  const close = read.frames().find((f) => f.opcode === Opcode.CLOSE);
  assert.equal(close?.payload.readUInt16BE(0), 1009);
  assert.equal(stats.oversized, 1);
});

test('a text frame is not the mdbench protocol: closed with 1003 and counted malformed', async () => {
  const { stats, messages, client } = served();
  const read = reader(client);
  upgrade(client);
  client.write(encodeClientFrame(Opcode.TEXT, Buffer.from('hello')));
  await tick();
  assert.deepEqual(messages, []);
  assert.equal(
    read
      .frames()
      .find((f) => f.opcode === Opcode.CLOSE)
      ?.payload.readUInt16BE(0),
    1003,
  );
  assert.equal(stats.malformed, 1);
});

test('an upgrade without a key is answered 400 and the connection ended', async () => {
  const { stats, peers, client } = served();
  const read = reader(client);
  client.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
  await tick();
  await tick();
  assert.match(read.text, /^HTTP\/1\.1 400 /);
  assert.equal(read.ended, true);
  assert.equal(stats.badUpgrades, 1);
  assert.equal(peers.open.size, 0);
});

test('an upgrade still unfinished at its deadline is dropped, however it trickles', async () => {
  const { stats, peers, clock, client, server } = served();
  client.write('GET / HTTP/1.1\r\n');
  clock.ms = 5_000;
  client.write('Host: x\r\n');
  await tick();
  peers.deadlines.sweep();
  assert.equal(server.destroyed, false);
  clock.ms = 10_500;
  peers.deadlines.sweep();
  assert.equal(server.destroyed, true);
  assert.equal(stats.badUpgrades, 1);
});

test('a peer that asks and never reads is disconnected once its unread replies pass the send limit', async () => {
  const { stats, client, server } = served({ maxQueuedBytes: 4096, policy: 'disconnect' });
  // The client end is never read: its reader fills, then the server's writes queue.
  upgrade(client);
  const ping = encodeClientFrame(Opcode.PING, Buffer.alloc(125, 1));
  for (let i = 0; i < 400 && !server.destroyed; i++) {
    client.write(ping);
    await tick();
  }
  assert.equal(server.destroyed, true);
  assert.equal(stats.slowDisconnects, 1);
});
