import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { connects, startServer } from '../tools/harness/processes.mjs';

// Live: a program listening on every address at a port inside LocalPorts. The client leaves the
// port out of its plan (and says so) instead of failing those connections forever with EADDRINUSE;
// the doctor names the listener.

test('a wildcard listener inside LocalPorts: the client plans around it, every connection opens; the doctor names it', async () => {
  const squatter = net.createServer();
  squatter.listen(0, '0.0.0.0');
  await once(squatter, 'listening');
  const port = (squatter.address() as net.AddressInfo).port;
  const server = await startServer(['--workers', '1']);
  try {
    // 40 connections over two aliases from `port - 5`: without the exclusion the two at `port` would fail.
    const r = await connects(
      [
        '-s',
        `127.0.0.1:${server.port}`,
        '--local-addresses',
        '127.0.0.{2..3}',
        '--local-ports',
        `${port - 5}-${port + 30}`,
        '--subjects',
        '/p/s{1..40}/-',
        '--one-to-one',
      ],
      40,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `Ports left out: ${port} of LocalPorts: other programs listen on them \\(\\*:${port}\\); 2 planned connection\\(s\\) would have failed with EADDRINUSE`,
      ),
    );
    assert.match(r.stdout, /Connected: 40 open, 40 subscribed, 0 failed/);
    const doctor = spawnSync(
      process.execPath,
      [
        new URL('../tools/doctor/bin/mdbench-doctor.js', import.meta.url).pathname,
        'client',
        '--clients',
        '40',
        '--local-addresses',
        '127.0.0.{2..3}',
        '--local-ports',
        `${port - 5}-${port + 30}`,
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.match(doctor.stdout, new RegExp(`listener \\*:${port}.*port ${port} of LocalPorts is taken on every address: 2 planned connection`));
  } finally {
    squatter.close();
    await server.stop();
  }
});
