import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type net from 'node:net';
import { binPath, processTree, rssOf, track } from '../tools/harness/processes.mjs';

// The client against servers that mean harm: what they say reaches the operator's terminal
// escaped, and what they make the client send (pongs to a flood of pings) stays bounded.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a server that answers with terminal escape sequences (window title, screen clear, fake lines): the client shows them escaped, never raw', async () => {
  // A NATS server over WebSocket whose -ERR text and close reason carry escape sequences.
  const { WebSocketServer } = await import('ws');
  const evil = '\u001b]0;owned\u0007\u001b[2J\r\n[INFO] Result: ok';
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws) => {
    ws.send(`INFO {"server_id":"x","max_payload":1048576}\r\n`);
    ws.on('message', (m) => {
      if (String(m).startsWith('CONNECT')) {
        ws.send(`-ERR 'Authorization Violation ${evil}'\r\n`);
        ws.close(4000, evil.slice(0, 60));
      }
    });
  });
  const port = (wss.address() as net.AddressInfo).port;
  const child = track(
    spawn(
      process.execPath,
      [
        binPath('client'),
        '-s',
        `127.0.0.1:${port}`,
        '-p',
        'nats',
        '--clients',
        '3',
        '--subjects',
        '/p/s1/-',
        '--duration',
        '3',
        '--interval',
        '1',
        '--reconnect-min',
        '0.5',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await once(child, 'exit');
  wss.close();
  assert.match(out, /Authorization Violation/, out);
  assert.doesNotMatch(out, /\u001b/, 'no escape character reaches the terminal');
  assert.doesNotMatch(out, /\u0007/);
  assert.match(out, /\\x1b\]0;owned\\x07\\x1b\[2J/, 'the sequence is shown escaped');
});

test('a server that floods protocol pings and never reads the pongs: the client worker holds at most about a MiB of them', async () => {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  let flooded: () => void = () => {};
  const done = new Promise<void>((r) => (flooded = r));
  wss.on('connection', (ws, req) => {
    ws.send(`INFO {"server_id":"x","max_payload":1048576}\r\n`);
    ws.once('message', async () => {
      ws.send('PONG\r\n');
      // Stop reading: every pong the client sends from now on waits in its socket.
      req.socket.pause();
      const ping = 'PING\r\n'.repeat(10_000);
      for (let i = 0; i < 100; i++) {
        ws.send(ping);
        await new Promise((r) => setImmediate(r));
      }
      flooded();
    });
  });
  const port = (wss.address() as net.AddressInfo).port;
  const child = track(
    spawn(
      process.execPath,
      [
        binPath('client'),
        '-s',
        `127.0.0.1:${port}`,
        '-p',
        'nats',
        '--clients',
        '1',
        '--workers',
        '1',
        '--subjects',
        '/p/s1/-',
        '--interval',
        '1',
        '--duration',
        '60',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await done;
  await sleep(1500);
  const worker = processTree(child.pid as number).filter((p) => p !== child.pid);
  const rssMb = worker.reduce((a, p) => a + rssOf(p), 0) / 1048576;
  child.kill('SIGKILL');
  wss.close();
  // 1,000,000 PINGs (6 MB) answered in full would queue 6 MB of pong frames and far more in write requests.
  assert.ok(rssMb < 150, `client worker at ${rssMb.toFixed(0)} MB after the ping flood\n${out.slice(-2000)}`);
});
