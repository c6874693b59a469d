import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Protocol, RunProtocol, Session } from '@mdbench/core/internal';
import { systemClock } from '@mdbench/core/worker';
import { runProtocol } from '@mdbench/core/testing';
import { WebSocketServer } from 'ws';
import { type LinkEvents, PublisherLinks, type ReconnectPolicy } from './links.js';

/** A protocol whose session is up as soon as the WebSocket opens, or refused when `refuse` says so. */
function sessionProtocol(refuse = false): RunProtocol {
  const p: Protocol = {
    name: 'test',
    text: false,
    open(s: Session) {
      if (refuse) s.refuse('not-authorized', 'bad token\u001b[2J');
      else s.connected();
    },
    receive() {},
    publishBytes: (_topic, n) => n,
    writePublish: (_out, at) => at,
  };
  return runProtocol(p, 'test', {});
}

const POLICY: ReconnectPolicy = { enabled: true, baseMs: 20, maxMs: 50, sessionTimeoutMs: 600, ackTimeoutMs: 400 };

function linksTo(port: number, protocol: RunProtocol, events: Partial<LinkEvents> = {}, policy = POLICY): PublisherLinks {
  return new PublisherLinks(
    [{ host: '127.0.0.1', port, path: '/', tls: false }],
    { readBuffer: Buffer.allocUnsafe(64 * 1024), maxPayload: 1 << 20, mask: 'random', path: '/' },
    protocol,
    {
      clock: systemClock,
      clientIdBase: 'test-pub',
      policy,
      events: { onLost: () => {}, onReconnected: () => {}, onNote: () => {}, ...events },
    },
  );
}

async function wsServer(): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  return { wss, port: (wss.address() as AddressInfo).port };
}

const until = async (what: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('open resolves once every session is up; a connection the server drops is lost, reconnected and counted', async () => {
  const { wss, port } = await wsServer();
  const lost: string[] = [];
  const back: number[] = [];
  const links = linksTo(port, sessionProtocol(), { onLost: (cause) => lost.push(cause), onReconnected: (ms) => back.push(ms) });
  try {
    await links.open(3, 5000);
    assert.equal(links.allReady, true);
    assert.equal(links.conns.length, 3);
    assert.equal(wss.clients.size, 3);
    const [first] = wss.clients;
    first.terminate();
    await until(() => back.length === 1);
    assert.equal(lost.length, 1);
    assert.equal(links.down, 0);
    assert.equal(links.allReady, true);
    assert.ok(back[0] >= 0 && back[0] < 5000, `down for ${back[0]} ms`);
    assert.equal(
      Object.values(links.take().errors).reduce((a, b) => a + b, 0),
      1,
    );
  } finally {
    links.close();
    wss.close();
  }
});

test('a server that accepts and never answers the upgrade fails the open with the attempt named ETIMEDOUT', async () => {
  const sockets: net.Socket[] = [];
  // The client resets a socket it gives up on: the server's end hears ECONNRESET.
  const silent = net.createServer((s) => sockets.push(s.on('error', () => {})));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const links = linksTo((silent.address() as AddressInfo).port, sessionProtocol(), {}, { ...POLICY, enabled: false });
  const started = Date.now();
  try {
    await assert.rejects(links.open(1, 10_000), /publisher connection failed: (ETIMEDOUT|session-timeout)/);
    assert.ok(Date.now() - started < 5000, 'the session timeout, not the open timeout, ended it');
  } finally {
    links.close();
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('a refused session fails the open, is counted, and its detail is noted once and safe for a terminal', async () => {
  const { wss, port } = await wsServer();
  const notes: string[] = [];
  const links = linksTo(port, sessionProtocol(true), { onNote: (cause, detail) => notes.push(`${cause}: ${detail}`) });
  try {
    await assert.rejects(links.open(2, 5000), /publisher connection failed: not-authorized/);
    assert.ok(links.refused >= 1);
    assert.equal(notes.length, 1);
    assert.doesNotMatch(notes[0], /\u001b/);
    assert.match(notes[0], /^not-authorized: bad token/);
  } finally {
    links.close();
    wss.close();
  }
});

test('publishes left unacknowledged past the ack timeout drop the connection as ack-timeout, and it reconnects', async () => {
  const { wss, port } = await wsServer();
  const lost: string[] = [];
  const links = linksTo(port, sessionProtocol(), { onLost: (cause) => lost.push(cause) });
  try {
    await links.open(1, 5000);
    const [c] = links.conns;
    c.inflight = 3;
    await until(() => lost.length === 1);
    assert.deepEqual(lost, ['ack-timeout']);
    await until(() => links.allReady);
    assert.equal(c.inflight, 0);
    assert.equal(links.take().errors['ack-timeout'], 1);
  } finally {
    links.close();
    wss.close();
  }
});
