import { test } from 'node:test';
import assert from 'node:assert/strict';
import { treeHost } from '../system/host-view.js';
import { badHost, hostTree as tree, limitsText as limits } from '../testing.js';
import { clockState } from './clock.js';
import { cpuMask, maskCpus } from './nic.js';
import { examine, sysctlFile } from './examine.js';

test('every item of a host that needs fixing: fail or warn, each with the command that fixes it', () => {
  const h = treeHost(tree(badHost));
  const findings = examine(
    h,
    {
      role: 'client',
      sockets: 200_000,
      socketsPerProcess: 20_000,
      processes: 10,
      localAddresses: ['10.0.0.5', '10.0.2.5'],
      localPorts: { from: 1024, to: 65535 },
      serverHost: '10.9.9.9',
      iface: 'eth0',
    },
    Date.now(),
  );
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
  assert.equal(
    by['IRQ affinity (eth0)'].fix,
    'echo 1 > /proc/irq/40/smp_affinity; echo 2 > /proc/irq/41/smp_affinity; echo 4 > /proc/irq/42/smp_affinity; echo 8 > /proc/irq/43/smp_affinity   (or start irqbalance)',
  );
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
    const findings = examine(
      h,
      {
        role,
        sockets: 200_000,
        socketsPerProcess: 20_000,
        processes: 10,
        localAddresses: role === 'client' ? ['10.0.0.5', '10.0.2.5'] : [],
        localPorts: { from: 1024, to: 59999 },
        serverHost: '10.9.9.9',
        iface: 'eth0',
      },
      Date.now(),
    );
    assert.deepEqual(
      findings.filter((f) => f.level !== 'ok').map((f) => `${f.item}: ${f.detail}`),
      [],
      role,
    );
    if (role === 'server') assert.ok(findings.some((f) => f.item === 'net.core.somaxconn'));
  }
});

test("the article's 16 KB buffer maximum and autotuning off: fine for a client box, a warning (keeping a large maximum) for a server or publisher", () => {
  const articleBuffers = (extra: Record<string, string>) =>
    treeHost(
      tree({
        ...badHost,
        'proc/sys/net/ipv4/tcp_rmem': '1024 4096 16384\n',
        'proc/sys/net/ipv4/tcp_wmem': '1024 4096 16384\n',
        'proc/sys/net/ipv4/tcp_moderate_rcvbuf': '0\n',
        ...extra,
      }),
    );
  const plan = (role: 'client' | 'server' | 'publisher') => ({
    role,
    sockets: 20_000,
    socketsPerProcess: 20_000,
    processes: 1,
    localAddresses: [],
    localPorts: { from: 1024, to: 59999 },
    serverHost: '10.9.9.9',
    iface: 'eth0',
  });
  const levels = (role: 'client' | 'server' | 'publisher') => {
    const by = Object.fromEntries(examine(articleBuffers({}), plan(role), Date.now()).map((f) => [f.item, f]));
    return [by['net.ipv4.tcp_rmem'], by['net.ipv4.tcp_wmem'], by['net.ipv4.tcp_moderate_rcvbuf']];
  };
  assert.deepEqual(
    levels('client').map((f) => f.level),
    ['ok', 'ok', 'ok'],
  );
  for (const role of ['server', 'publisher'] as const) {
    const [r, w, m] = levels(role);
    assert.deepEqual([r.level, w.level, m.level], ['warn', 'warn', 'warn'], role);
    assert.equal(r.sysctl?.['net.ipv4.tcp_rmem'], '4096 4096 4194304');
    assert.equal(m.sysctl?.['net.ipv4.tcp_moderate_rcvbuf'], '1');
  }
  // Too many sockets at a large default: the fix shrinks the default and keeps the maximum.
  const big = Object.fromEntries(
    examine(treeHost(tree({ ...badHost, 'proc/sys/net/ipv4/tcp_rmem': '4096 131072 6291456\n' })), { ...plan('client'), sockets: 1_000_000 }, Date.now()).map(
      (f) => [f.item, f],
    ),
  );
  assert.equal(big['net.ipv4.tcp_rmem'].sysctl?.['net.ipv4.tcp_rmem'], '4096 4096 6291456');
});

test('clock states from chrony, systemd-timesyncd and ntpd; masks of CPUs', () => {
  assert.deepEqual(clockState(treeHost(tree({ 'commands/timedatectl': 'NTPSynchronized=yes\nOffset=-312us\n' }))), {
    daemon: 'systemd-timesyncd',
    synced: true,
    offsetMs: -0.312,
  });
  const ntpq =
    '     remote           refid      st t when poll reach   delay   offset  jitter\n==============\n*192.168.1.1     .GPS.            1 u   33   64  377    0.221   -0.041   0.013\n';
  assert.deepEqual(clockState(treeHost(tree({ 'commands/ntpq': ntpq }))), { daemon: 'ntpd', synced: true, offsetMs: -0.041 });
  assert.equal(clockState(treeHost(tree({}))), undefined);
  assert.deepEqual(maskCpus('00000005'), [0, 2]);
  assert.deepEqual(maskCpus('1,00000000'), [32]);
  assert.equal(cpuMask(5), '20');
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
  const p = {
    role: 'client' as const,
    sockets: 100_000,
    socketsPerProcess: 19_000,
    processes: 6,
    localAddresses: ['10.0.0.5', '10.0.1.5'],
    localPorts: { from: 1024, to: 65535 },
    serverHost: '10.9.9.9',
  };
  const found = examine(h, p, Date.now()).filter((f) => f.item.startsWith('listener'));
  assert.deepEqual(
    found.map((f) => [f.item, f.level]),
    [
      ['listener *:2024', 'warn'],
      ['listener *:4369', 'warn'],
      ['listener 10.0.0.5:30000', 'warn'],
    ],
  );
  assert.match(
    found[0].detail,
    /port 2024 of LocalPorts is taken on every address: 2 planned connection\(s\) would fail with EADDRINUSE; mdbench-client leaves the port out/,
  );
  assert.match(found[2].detail, /taken on 10\.0\.0\.5: 1 planned connection/);
  // 2,001 connections reach port 2024 on the first address only, and no further port.
  const few = examine(h, { ...p, sockets: 2001 }, Date.now()).filter((f) => f.item.startsWith('listener'));
  assert.deepEqual(
    few.map((f) => f.detail.match(/(\d+) planned/)?.[1]),
    ['1', '0', '0'],
  );
});
