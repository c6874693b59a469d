import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { treeHost } from '@mdbench/core';
import { clockState } from './checks/clock.js';
import { cpuMask, maskCpus } from './checks/nic.js';
import { examine, sysctlFile } from './doctor.js';

const bin = new URL('../bin/mdbench-doctor.js', import.meta.url).pathname;

/** A host in a folder: files as on a real one. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mdbench-host-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const limits = (soft: number, hard: number) => `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 ${hard}                files\n`;

/** A host that needs fixing everywhere this machine cannot show: a NIC with four queues on one CPU, conntrack tracking, a clock off. */
const badHost = {
  'proc/sys/fs/nr_open': '10000\n',
  'proc/sys/fs/file-max': '50000\n',
  'proc/self/limits': limits(10000, 10000),
  'proc/77/limits': limits(1024, 10000),
  'parent-pid': '77',
  'proc/sys/net/ipv4/ip_local_port_range': '1024\t65535\n',
  'proc/sys/net/ipv4/tcp_tw_reuse': '0\n',
  'proc/sys/net/ipv4/tcp_tw_recycle': '1\n',
  'proc/sys/net/ipv4/tcp_mem': '100000 150000 200000\n',
  'proc/sys/net/ipv4/tcp_rmem': '4096 131072 6291456\n',
  'proc/sys/net/ipv4/tcp_wmem': '4096 16384 4194304\n',
  'proc/sys/net/core/rmem_max': '212992\n',
  'proc/sys/net/core/wmem_max': '212992\n',
  'proc/sys/net/core/somaxconn': '128\n',
  'proc/sys/net/core/netdev_max_backlog': '1000\n',
  'proc/sys/net/netfilter/nf_conntrack_max': '65536\n',
  'proc/sys/net/netfilter/nf_conntrack_count': '12\n',
  'sys/class/net/eth0/queues/rx-0/rps_cpus': '0\n',
  'sys/class/net/eth0/queues/rx-1/rps_cpus': '0\n',
  'sys/class/net/eth0/queues/rx-2/rps_cpus': '0\n',
  'sys/class/net/eth0/queues/rx-3/rps_cpus': '0\n',
  'proc/interrupts': '           CPU0       CPU1\n  40:   1000  0   PCI-MSI-edge  eth0-TxRx-0\n  41:   1000  0   PCI-MSI-edge  eth0-TxRx-1\n  42:   1000  0   PCI-MSI-edge  eth0-TxRx-2\n  43:   1000  0   PCI-MSI-edge  eth0-TxRx-3\n',
  'proc/irq/40/smp_affinity': '1\n',
  'proc/irq/41/smp_affinity': '1\n',
  'proc/irq/42/smp_affinity': '1\n',
  'proc/irq/43/smp_affinity': '1\n',
  'commands/chronyc': 'Reference ID    : C0A80101 (ntp)\nSystem time     : 0.002500000 seconds fast of NTP time\nLeap status     : Normal\n',
  addresses: '10.0.0.5\n10.0.1.5\n',
  memory: String(16 * 2 ** 30),
  cpus: '4',
};

test('every item of a host that needs fixing: fail or warn, each with the command that fixes it', () => {
  const h = treeHost(tree(badHost));
  const findings = examine(h, { role: 'client', sockets: 200_000, socketsPerProcess: 20_000, processes: 10, localAddresses: ['10.0.0.5', '10.0.2.5'], localPorts: { from: 1024, to: 65535 }, serverHost: '10.9.9.9', iface: 'eth0' });
  const by = Object.fromEntries(findings.map((f) => [f.item, f]));
  assert.equal(by['fs.nr_open'].level, 'fail');
  assert.equal(by['fs.nr_open'].fix, 'sysctl -w fs.nr_open=20064');
  assert.equal(by['fs.file-max'].level, 'fail');
  assert.equal(by['ulimit -n (hard)'].level, 'fail');
  assert.match(by['ulimit -n (soft)'].detail, /soft limit is 1,024/);
  assert.equal(by['net.ipv4.ip_local_port_range'].level, 'warn');
  assert.equal(by['net.ipv4.tcp_tw_reuse'].fix, 'sysctl -w net.ipv4.tcp_tw_reuse=1');
  assert.equal(by['net.ipv4.tcp_tw_recycle'].level, 'warn');
  assert.equal(by['net.ipv4.tcp_mem'].fix, 'sysctl -w net.ipv4.tcp_mem="66667 88889 400000"');
  assert.equal(by['net.ipv4.tcp_rmem'].level, 'warn', '200,000 x 128 KiB is more than a quarter of 16 GiB');
  assert.equal(by['net.ipv4.tcp_wmem'].level, 'ok');
  assert.equal(by['net.netfilter.nf_conntrack_max'].level, 'fail');
  assert.equal(by['local addresses'].level, 'fail');
  assert.match(by['local addresses'].detail, /10\.0\.2\.5/);
  assert.match(by['NIC queues (eth0)'].detail, /4 receive queue/);
  assert.equal(by['IRQ affinity (eth0)'].level, 'warn');
  assert.equal(by['IRQ affinity (eth0)'].fix, 'echo 1 > /proc/irq/40/smp_affinity; echo 2 > /proc/irq/41/smp_affinity; echo 4 > /proc/irq/42/smp_affinity; echo 8 > /proc/irq/43/smp_affinity   (or start irqbalance)');
  assert.match(by['clock synchronisation'].detail, /chrony: synchronised, but 2\.500 ms off/);
  const file = sysctlFile(findings, 'test');
  assert.match(file, /^fs\.nr_open = 20064$/m);
  assert.match(file, /^net\.ipv4\.tcp_mem = 66667 88889 400000$/m);
  assert.match(file, /^net\.netfilter\.nf_conntrack_max = 240000$/m);
  assert.doesNotMatch(file, /tcp_wmem/, 'nothing for what is fine');
});

test('a prepared host: everything ok; a server plan checks its backlogs; irqbalance counts as spreading', () => {
  const good = tree({
    ...badHost,
    'proc/sys/fs/nr_open': '2000000\n',
    'proc/sys/fs/file-max': '5000000\n',
    'proc/self/limits': limits(100000, 100000),
    'proc/77/limits': limits(100000, 100000),
    'proc/sys/net/ipv4/ip_local_port_range': '60000\t65535\n',
    'proc/sys/net/ipv4/tcp_tw_reuse': '1\n',
    'proc/sys/net/ipv4/tcp_tw_recycle': '0\n',
    'proc/sys/net/ipv4/tcp_mem': '383865 511820 2303190\n',
    'proc/sys/net/ipv4/tcp_rmem': '1024 4096 6291456\n',
    'proc/sys/net/ipv4/tcp_wmem': '1024 4096 4194304\n',
    'proc/sys/net/core/somaxconn': '65535\n',
    'proc/sys/net/core/netdev_max_backlog': '16384\n',
    'proc/sys/net/netfilter/nf_conntrack_max': '2000000\n',
    'proc/55/comm': 'irqbalance\n',
    'commands/chronyc': 'System time     : 0.000012000 seconds slow of NTP time\nLeap status     : Normal\n',
    addresses: '10.0.0.5\n10.0.2.5\n',
  });
  const h = treeHost(good);
  for (const role of ['client', 'server'] as const) {
    const findings = examine(h, { role, sockets: 200_000, socketsPerProcess: 20_000, processes: 10, localAddresses: role === 'client' ? ['10.0.0.5', '10.0.2.5'] : [], localPorts: { from: 1024, to: 59999 }, serverHost: '10.9.9.9', iface: 'eth0' });
    assert.deepEqual(findings.filter((f) => f.level !== 'ok').map((f) => `${f.item}: ${f.detail}`), [], role);
    if (role === 'server') assert.ok(findings.some((f) => f.item === 'net.core.somaxconn'));
  }
});

test("the article's 16 KB buffer maximum and autotuning off: fine for a client box, a warning (keeping a large maximum) for a server or publisher", () => {
  const articleBuffers = (extra: Record<string, string>) => treeHost(tree({ ...badHost, 'proc/sys/net/ipv4/tcp_rmem': '1024 4096 16384\n', 'proc/sys/net/ipv4/tcp_wmem': '1024 4096 16384\n', 'proc/sys/net/ipv4/tcp_moderate_rcvbuf': '0\n', ...extra }));
  const plan = (role: 'client' | 'server' | 'publisher') => ({ role, sockets: 20_000, socketsPerProcess: 20_000, processes: 1, localAddresses: [], localPorts: { from: 1024, to: 59999 }, serverHost: '10.9.9.9', iface: 'eth0' });
  const levels = (role: 'client' | 'server' | 'publisher') => {
    const by = Object.fromEntries(examine(articleBuffers({}), plan(role)).map((f) => [f.item, f]));
    return [by['net.ipv4.tcp_rmem'], by['net.ipv4.tcp_wmem'], by['net.ipv4.tcp_moderate_rcvbuf']];
  };
  assert.deepEqual(levels('client').map((f) => f.level), ['ok', 'ok', 'ok']);
  for (const role of ['server', 'publisher'] as const) {
    const [r, w, m] = levels(role);
    assert.deepEqual([r.level, w.level, m.level], ['warn', 'warn', 'warn'], role);
    assert.equal(r.sysctl?.['net.ipv4.tcp_rmem'], '1024 4096 4194304');
    assert.equal(m.sysctl?.['net.ipv4.tcp_moderate_rcvbuf'], '1');
  }
  // Too many sockets at a large default: the fix shrinks the default and keeps the maximum.
  const big = Object.fromEntries(examine(treeHost(tree({ ...badHost, 'proc/sys/net/ipv4/tcp_rmem': '4096 131072 6291456\n' })), { ...plan('client'), sockets: 1_000_000 }).map((f) => [f.item, f]));
  assert.equal(big['net.ipv4.tcp_rmem'].sysctl?.['net.ipv4.tcp_rmem'], '1024 4096 6291456');
});

test('clock states from chrony, systemd-timesyncd and ntpd; masks of CPUs', () => {
  assert.deepEqual(clockState(treeHost(tree({ 'commands/timedatectl': 'NTPSynchronized=yes\nOffset=-312us\n' }))), { daemon: 'systemd-timesyncd', synced: true, offsetMs: -0.312 });
  const ntpq = '     remote           refid      st t when poll reach   delay   offset  jitter\n==============\n*192.168.1.1     .GPS.            1 u   33   64  377    0.221   -0.041   0.013\n';
  assert.deepEqual(clockState(treeHost(tree({ 'commands/ntpq': ntpq }))), { daemon: 'ntpd', synced: true, offsetMs: -0.041 });
  assert.equal(clockState(treeHost(tree({}))), undefined);
  assert.deepEqual(maskCpus('00000005'), [0, 2]);
  assert.deepEqual(maskCpus('1,00000000'), [32]);
  assert.equal(cpuMask(5), '20');
});

test('the command: the same options as the checked tool, exit 3 on a failure, --write-sysctl, one line for a bad role', () => {
  const root = tree(badHost);
  const out = join(root, '90-mdbench.conf');
  const r = spawnSync(process.execPath, [bin, 'client', '--clients', '200000', '--local-addresses', '10.0.{0..4}.5', '--local-ports', '1024-65535', '-s', '10.9.9.9:8800', '--interface', 'eth0', '--workers', '2', '--host-root', root, '--write-sysctl', out], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /^mdbench-doctor: client plan: 200,000 sockets over \d+ process\(es\)/m);
  assert.match(r.stdout, /^fail  fs\.nr_open +10,000 < /m);
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
  const { tlsChecks } = await import('./checks/tls.js');
  const c = makeCerts();
  const plan = { role: 'server' as const, sockets: 1, socketsPerProcess: 1, processes: 1, localAddresses: [], serverHost: '127.0.0.1' };
  const level = (fs: { item: string; level: string }[], item: string) => fs.filter((f) => f.item === item).map((f) => f.level);
  const good = tlsChecks({ ...plan, tls: { certFile: c.cert, keyFile: c.key, caFile: c.ca, names: ['127.0.0.1', 'localhost'] } }, Date.now());
  assert.ok(good.every((f) => f.level === 'ok'), JSON.stringify(good));
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
  const r = spawnSync(process.execPath, [bin, 'server', '--listen', '127.0.0.1:8443', '--tls-cert', c.cert, '--tls-key', c.key, '--host-root', tree(badHost)], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.match(r.stdout, /TLS certificate names.*names 127\.0\.0\.1/, r.stdout + r.stderr);
});

test('listeners in LocalPorts: one on every address (IPv4 or IPv6) or on a planned address is named with the connections it would cost; others are not', () => {
  // /proc/net/tcp rows: *:4369 (epmd), 127.0.0.1:8800 (not a planned address), 10.0.0.5:30000 (planned), an established socket at :2000.
  const tcp =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
    '   0: 00000000:1111 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n' +
    '   1: 0100007F:2260 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2\n' +
    '   2: 0500000A:7530 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3\n' +
    '   3: 0500000A:07D0 0600000A:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4\n';
  const tcp6 =
    '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
    '   0: 00000000000000000000000000000000:07E8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5\n';
  const h = treeHost(tree({ ...badHost, 'proc/net/tcp': tcp, 'proc/net/tcp6': tcp6 }));
  const p = { role: 'client' as const, sockets: 100_000, socketsPerProcess: 19_000, processes: 6, localAddresses: ['10.0.0.5', '10.0.1.5'], localPorts: { from: 1024, to: 65535 }, serverHost: '10.9.9.9' };
  const found = examine(h, p).filter((f) => f.item.startsWith('listener'));
  assert.deepEqual(
    found.map((f) => [f.item, f.level]),
    [['listener *:2024', 'warn'], ['listener *:4369', 'warn'], ['listener 10.0.0.5:30000', 'warn']],
  );
  assert.match(found[0].detail, /port 2024 of LocalPorts is taken on every address: 2 planned connection\(s\) would fail with EADDRINUSE; mdbench-client leaves the port out/);
  assert.match(found[2].detail, /taken on 10\.0\.0\.5: 1 planned connection/);
  // 2,001 connections reach port 2024 on the first address only, and no further port.
  const few = examine(h, { ...p, sockets: 2001 }).filter((f) => f.item.startsWith('listener'));
  assert.deepEqual(few.map((f) => f.detail.match(/(\d+) planned/)?.[1]), ['1', '0', '0']);
});
