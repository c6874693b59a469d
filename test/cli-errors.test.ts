import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type Tool } from '../tools/harness/processes.mjs';
import { freePort } from './helpers/faults.js';

const dir = mkdtempSync(join(tmpdir(), 'mdbench-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Runs a tool that must fail: returns stderr, after checking the exit code and that no stack trace leaked. */
async function fails(tool: Tool, args: string[], exit: number): Promise<string> {
  const r = await run(tool, args);
  assert.equal(r.code, exit, `exit code of ${tool} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace without --debug');
  for (const line of r.stderr.trim().split('\n')) assert.match(line, new RegExp(`^mdbench-${tool}: (error|hint|warning): `), line);
  return r.stderr;
}

test('a malformed config line names file and line', async () => {
  const p = file('bad-line.conf', 'Clients = 10\nthis is not a setting\n');
  const err = await fails('client', ['-c', p], 2);
  assert.equal(err, `mdbench-client: error: ${p}:2: expected "Key = value", found "this is not a setting"\n`);
});

test('an unknown key is named with its line and a suggestion', async () => {
  const p = file('unknown.conf', 'Clients = 10\nLocalAdresses = 127.0.0.{2..3}\n');
  const err = await fails('client', ['-c', p], 2);
  assert.equal(err, `mdbench-client: error: ${p}:2: LocalAdresses: unknown key (did you mean LocalAddresses?)\n`);
});

test('a pattern that expands to nothing', async () => {
  const err = await fails('client', ['--subjects', ''], 2);
  assert.match(err, /command line: --subjects: the pattern is empty: it expands to nothing/);
  const p = file('empty.conf', 'Subjects = \n');
  assert.match(await fails('publisher', ['-c', p], 2), /empty\.conf:1: Subjects: has no value/);
});

test('a port range that cannot cover Clients', async () => {
  const err = await fails('client', ['--clients', '5000', '--local-addresses', '127.0.0.{2..3}', '--local-ports', '20000-21999'], 2);
  assert.match(
    err,
    /^mdbench-client: error: command line: --local-addresses: 2 local address\(es\) x 2000 ports cover 4000 connections, but Clients is 5000: use at least 3 addresses/,
  );
});

test('an unreachable server: exit 4 with the address and cause', async () => {
  const port = await freePort();
  const err = await fails('client', ['-s', `127.0.0.1:${port}`, '--clients', '10'], 4);
  assert.match(err, new RegExp(`cannot reach server 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  assert.match(await fails('publisher', ['-s', `127.0.0.1:${port}`], 4), /ECONNREFUSED/);
});

test('a local address that is not on this host is refused before connecting, with the fix', async () => {
  const err = await fails('client', ['--local-addresses', '198.51.100.{1..2}', '--clients', '10'], 3);
  assert.match(err, /local address\(es\) 198\.51\.100\.1, 198\.51\.100\.2 do not exist on this host/);
  assert.match(err, /hint: ip addr add 198\.51\.100\.1\/32 dev lo/);
});

test('bad flag values and unknown flags', async () => {
  assert.match(await fails('publisher', ['--frequency', 'fast'], 2), /--frequency: "fast" is not a number/);
  assert.match(await fails('server', ['--listen', 'nowhere'], 2), /command line: --listen: "nowhere" is not HOST:PORT/);
  assert.match(await fails('server', ['--cache-size', '10'], 2), /--cache-size: must be at most 0/);
  const r = await run('client', ['--no-such-flag']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--no-such-flag'/);
});

test('a port in use: the server says so and exits 3', async () => {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  try {
    assert.match(await fails('server', ['--listen', `127.0.0.1:${port}`, '--workers', '1'], 3), /cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  } finally {
    s.close();
  }
});

test('--debug shows the stack; --help and --version exit 0', async () => {
  const r = await run('client', ['--subjects', '{1..', '--debug']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^\s+at /m);
  for (const tool of ['client', 'publisher', 'server'] as const) {
    const h = await run(tool, ['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, new RegExp(`Usage: mdbench-${tool}`));
    const v = await run(tool, ['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  }
});

test('an output path that cannot be written: one line naming it, exit 2, before any worker or connection starts', async () => {
  const bad = join(dir, 'no-such-folder', 'run.jsonl');
  const server = await fails('server', ['--listen', '127.0.0.1:0', '--json', bad], 2);
  assert.match(server, new RegExp(`cannot write the JSON-lines file ${bad}: ENOENT`));
  const port = await freePort();
  const client = await fails('client', ['-s', `127.0.0.1:${port}`, '--clients', '1', '--hlog', bad.replace('.jsonl', '.hlog')], 2);
  assert.match(client, /cannot write the histogram log .*run\.hlog: ENOENT/); // before the probe: the server is not even there
  const publisher = await fails('publisher', ['-s', `127.0.0.1:${port}`, '--json', bad], 2);
  assert.match(publisher, /cannot write the JSON-lines file/);
});
