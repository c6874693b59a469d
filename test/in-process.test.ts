// Whole commands run in-process with their I/O injected (clock, folder, host, environment, streams):
// what a command reads of the world comes through `CliIo`, so a test can move the clock past a
// certificate's end, give the host any limits, or run from any folder, without touching this one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli, type CliIo, type HostView } from '@mdbench/core/internal';
import { ManualClock, limitsText, mapHost } from '@mdbench/core/testing';
import { clientCommand } from '@mdbench/client';
import { runDoctor } from '@mdbench/doctor';
import { makeCerts } from './helpers/certs.js';
import { freePort } from './helpers/faults.js';

const root = path.resolve(import.meta.dirname, '..');

/** An I/O object over in-memory streams; `out()` and `err()` read what the command wrote. */
function memoryIo(argv: string[], o: { clock?: ManualClock; cwd?: string; host?: HostView } = {}): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return {
    argv,
    stdout,
    stderr,
    env: { NO_COLOR: '1' },
    signals: new EventEmitter(),
    clock: o.clock ?? new ManualClock(Date.now() * 1000),
    cwd: o.cwd ?? root,
    host: o.host ?? mapHost({ '/proc/self/limits': limitsText(20_000, 20_000) }),
    out: () => out,
    err: () => err,
  };
}

test("the doctor judges a certificate's dates on the injected clock: valid today, expired once the clock passes its end", async () => {
  const c = makeCerts();
  const notAfterMs = Date.parse(new X509Certificate(readFileSync(c.cert)).validTo);
  const argv = ['server', '--listen', '127.0.0.1:8443', '--tls-cert', c.cert, '--tls-key', c.key];
  const today = memoryIo(argv);
  assert.equal(await runDoctor(today), 0, today.out() + today.err());
  assert.match(today.out(), /ok +TLS certificate dates +.* valid until/);
  const later = memoryIo(argv, { clock: new ManualClock((notAfterMs + 86_400_000) * 1000) });
  assert.equal(await runDoctor(later), 3, later.out() + later.err());
  assert.match(later.out(), /fail +TLS certificate dates +.* expired/);
});

test("the client's pre-flight reads the injected host: a hard limit of 500 open files refuses 1,000 sockets in one worker", async () => {
  const io = memoryIo(['--clients', '1000', '--workers', '1', '-s', '127.0.0.1:9'], { host: mapHost({ '/proc/self/limits': limitsText(500, 500) }) });
  assert.equal(await runCli(clientCommand, io), 3, io.err());
  assert.match(io.err(), /error: each of 1 process\(es\) would hold 1,000 sockets, but the open-file limit is 500 per process/);
  assert.match(io.err(), /hint: use --workers 3 or more/);
});

test('a plug-in path is read against the injected folder: found from its own folder, missing from another', async () => {
  const port = await freePort();
  const argv = ['--protocol', './json-protocol.mjs', '-s', `127.0.0.1:${port}`, '--clients', '1'];
  const there = memoryIo(argv, { cwd: path.join(root, 'examples/json-protocol') });
  assert.equal(await runCli(clientCommand, there), 4, there.err());
  assert.match(there.err(), /cannot reach server 127\.0\.0\.1:\d+: ECONNREFUSED/);
  assert.match(there.err(), /hint: start the json server first, or fix ServerAddresses/);
  const elsewhere = memoryIo(argv, { cwd: path.join(root, 'docs') });
  assert.equal(await runCli(clientCommand, elsewhere), 2, elsewhere.err());
  assert.match(elsewhere.err(), new RegExp(`protocol plug-in ${path.join(root, 'docs', 'json-protocol.mjs').replace(/[/.]/g, '\\$&')} does not exist`));
});
