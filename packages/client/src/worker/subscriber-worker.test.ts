import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { loadProtocol, protocolOptionsOf, resolveConfig } from '@mdbench/core/internal';
import { TEXT_STAMP_BYTES, systemClock, writeStamp } from '@mdbench/core/worker';
import { type WebSocket, WebSocketServer } from 'ws';
import { clientSpecs } from '../options.js';
import type { ClientWorkerConfig } from '../worker-config.js';
import { SubscriberWorker } from './subscriber-worker.js';

/**
 * A worker's connections against a WebSocket server in this process: subscribers by URL (the plain
 * protocol: a channel per subject, as Nchan's), each message a text-stamped payload. The worker is
 * driven as its process's main drives it: ramp ticks, keepalives and lifetimes on timers.
 */
async function channelServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const bySubject = new Map<string, WebSocket>();
  wss.on('connection', (ws, req) => bySubject.set(decodeURIComponent(req.url?.slice('/sub/'.length) ?? ''), ws));
  return { wss, bySubject, port: (wss.address() as AddressInfo).port };
}

function stamped(publisherId: number, seq: number): Buffer {
  const buf = Buffer.alloc(TEXT_STAMP_BYTES + 8, 'x');
  const now = systemClock.nowUs();
  writeStamp(buf, 0, { publisherId, seq, scheduledUs: now, sentUs: now }, 'text');
  return buf;
}

async function workerFor(port: number, flags: Record<string, string>) {
  const { values: options } = resolveConfig({
    specs: clientSpecs,
    flags: {
      serverAddresses: `127.0.0.1:${port}`,
      protocol: 'plain',
      subjects: 'm{0..19}',
      oneToOne: 'true',
      reconnectMin: '0.02',
      reconnectMax: '0.05',
      ...flags,
    },
  });
  const protocol = await loadProtocol('plain', protocolOptionsOf(options, 'subscriber'), () => ({ file: 'test' }), process.cwd());
  const config: ClientWorkerConfig = {
    workerId: 0,
    workers: 1,
    options,
    instanceIndex: 0,
    blockedPorts: [],
    protocol: 'plain',
    protocolOptions: protocolOptionsOf(options, 'subscriber'),
  };
  const w = new SubscriberWorker(config, protocol, systemClock);
  const timers = [
    setInterval(() => w.ramp.tick(), 5),
    setInterval(() => w.ramp.sweep(), 50),
    setInterval(() => {
      w.keepalives.tick();
      w.lives?.endDue();
    }, 20),
  ];
  const stop = () => {
    for (const t of timers) clearInterval(t);
    w.destroyAll();
  };
  return { w, stop };
}

const until = async (what: () => boolean, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('every planned connection subscribes to its own subject; stamped messages are counted, a missing one is a gap', async () => {
  const { wss, bySubject, port } = await channelServer();
  const { w, stop } = await workerFor(port, { clients: '20' });
  try {
    await until(() => w.gauges().subscribed === 20 && bySubject.size === 20);
    assert.deepEqual([...bySubject.keys()].sort(), Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
    let i = 0;
    for (const ws of bySubject.values()) {
      for (let seq = 1; seq <= 5; seq++) if (!(i === 0 && seq === 3)) ws.send(stamped(7, seq));
      i++;
    }
    await until(() => (w.sink.counters.messages ?? 0) >= 99);
    const taken = w.sink.take({}, { p99Ms: 0, maxMs: 0 });
    assert.equal(taken.counters.messages, 99);
    assert.equal(taken.counters.gaps, 1);
    assert.equal(taken.latency.welford.count, 99);
    assert.equal(w.gauges().failed, 0);
  } finally {
    stop();
    wss.close();
  }
});

test('connections the server drops come back on their own slots, counted as disconnects and reconnects', async () => {
  const { wss, bySubject, port } = await channelServer();
  const { w, stop } = await workerFor(port, { clients: '10', subjects: 'm{0..9}' });
  try {
    await until(() => w.gauges().subscribed === 10);
    for (const ws of wss.clients) ws.terminate();
    await until(() => (w.sink.counters.reconnects ?? 0) === 10 && w.gauges().subscribed === 10);
    assert.equal(w.sink.counters.disconnects, 10);
    assert.equal(bySubject.size, 10);
    assert.ok(Object.values(w.errors.take().errors).reduce((a, b) => a + b, 0) >= 10);
  } finally {
    stop();
    wss.close();
  }
});

test('connections with a lifetime close themselves cleanly and their slots reconnect: the population holds, no error', async () => {
  const { wss, port } = await channelServer();
  const { w, stop } = await workerFor(port, { clients: '10', subjects: 'm{0..9}', lifetime: 'fixed:150ms' });
  try {
    await until(() => (w.sink.counters.lifetimeEnds ?? 0) >= 20);
    await until(() => w.gauges().subscribed >= 9);
    assert.deepEqual(w.errors.take().errors, {});
    assert.equal(w.gauges().failed, 0);
  } finally {
    stop();
    wss.close();
  }
});
