import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tlsChecks } from '@mdbench/core/internal';
import { badHost, hostTree as tree } from '@mdbench/core/testing';

const bin = new URL('../bin/mdbench-doctor.js', import.meta.url).pathname;

test('the command: the same options as the checked tool, exit 3 on a failure, --write-sysctl, one line for a bad role', () => {
  const root = tree(badHost);
  const out = join(root, '90-mdbench.conf');
  const r = spawnSync(
    process.execPath,
    [
      bin,
      'client',
      '--clients',
      '200000',
      '--local-addresses',
      '10.0.{0..4}.5',
      '--local-ports',
      '1024-65535',
      '-s',
      '10.9.9.9:8800',
      '--interface',
      'eth0',
      '--workers',
      '2',
      '--host-root',
      root,
      '--write-sysctl',
      out,
    ],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  assert.equal(r.status, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /^mdbench-doctor: client plan: 200,000 sockets over \d+ process\(es\)/m);
  assert.match(r.stdout, /^fail {2}fs\.nr_open +10,000 < /m);
  assert.match(r.stdout, /^ +fix: sysctl -w fs\.nr_open=\d+$/m);
  assert.match(r.stdout, /^mdbench-doctor: \d+ fail, \d+ warn, \d+ ok$/m);
  assert.match(readFileSync(out, 'utf8'), /^net\.core\.netdev_max_backlog = 16384$/m);
  const bad = spawnSync(process.execPath, [bin, 'broker'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'mdbench-doctor: error: "broker" is not a role: client, publisher or server\n');
  const badOpt = spawnSync(process.execPath, [bin, 'server', '--expect-connections', 'many'], { encoding: 'utf8' });
  assert.equal(badOpt.status, 2);
  assert.match(badOpt.stderr, /command line: --expect-connections: "many" is not a whole number/);
});

test('TLS files: readable PEM, the key of its certificate, dates, the listen address among its names; each item ok/warn/fail with the fix', async () => {
  const { makeCerts } = await import('../../../test/helpers/certs.js');
  const c = makeCerts();
  const plan = { role: 'server' as const, sockets: 1, socketsPerProcess: 1, processes: 1, localAddresses: [], serverHost: '127.0.0.1' };
  const level = (fs: { item: string; level: string }[], item: string) => fs.filter((f) => f.item === item).map((f) => f.level);
  const good = tlsChecks({ ...plan, tls: { certFile: c.cert, keyFile: c.key, caFile: c.ca, names: ['127.0.0.1', 'localhost'] } }, Date.now());
  assert.ok(
    good.every((f) => f.level === 'ok'),
    JSON.stringify(good),
  );
  const wrongName = tlsChecks({ ...plan, tls: { certFile: c.cert, keyFile: c.key, names: ['10.9.8.7'] } }, Date.now());
  assert.deepEqual(level(wrongName, 'TLS certificate names'), ['fail']);
  assert.match(wrongName.find((f) => f.item === 'TLS certificate names')!.fix!, /IP:10\.9\.8\.7/);
  const soon = tlsChecks({ ...plan, tls: { certFile: c.cert, keyFile: c.key, names: [] } }, Date.now() + 20 * 86_400_000);
  assert.deepEqual(level(soon, 'TLS certificate dates'), ['warn']);
  const expired = tlsChecks({ ...plan, tls: { certFile: c.cert, keyFile: c.key, names: [] } }, Date.now() + 31 * 86_400_000);
  assert.deepEqual(level(expired, 'TLS certificate dates'), ['fail']);
  const mismatch = tlsChecks({ ...plan, tls: { certFile: c.cert, keyFile: c.clientKey, names: [] } }, Date.now());
  assert.match(JSON.stringify(mismatch), /does not belong to the certificate/);
  const junk = join(c.dir, 'junk.pem');
  writeFileSync(junk, 'nothing\n');
  assert.deepEqual(level(tlsChecks({ ...plan, tls: { caFile: junk, names: [] } }, Date.now()), 'TLS CA bundle'), ['fail']);
  // The command line takes the same options as the run it checks.
  const r = spawnSync(process.execPath, [bin, 'server', '--listen', '127.0.0.1:8443', '--tls-cert', c.cert, '--tls-key', c.key, '--host-root', tree(badHost)], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.match(r.stdout, /TLS certificate names.*names 127\.0\.0\.1/, r.stdout + r.stderr);
});
