import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { treeHost } from '../system/host-view.js';
import { badHost, hostTree as tree } from '../testing.js';
import { examine } from './examine.js';

// Every sysctl value the doctor suggests is one this kernel takes: written for real, in a network
// namespace of its own where the setting is per namespace, else on the host and put back at once.

/** Every value suggested for hosts that need fixing, for each role. */
function suggestions(): Map<string, string> {
  const out = new Map<string, string>();
  const hosts = [
    badHost,
    {
      ...badHost,
      'proc/sys/net/ipv4/tcp_rmem': '1024 4096 16384\n',
      'proc/sys/net/ipv4/tcp_wmem': '1024 4096 16384\n',
      'proc/sys/net/ipv4/tcp_moderate_rcvbuf': '0\n',
    },
    { ...badHost, 'proc/sys/net/ipv4/tcp_rmem': '4096 131072 6291456\n' },
  ];
  for (const host of hosts) {
    for (const role of ['client', 'server', 'publisher'] as const) {
      for (const sockets of [20_000, 1_000_000]) {
        const plan = {
          role,
          sockets,
          socketsPerProcess: 20_000,
          processes: 50,
          localAddresses: [],
          localPorts: { from: 1024, to: 59999 },
          serverHost: '127.0.0.1',
          iface: 'lo',
        };
        for (const f of examine(treeHost(tree(host)), plan, Date.now())) for (const [k, v] of Object.entries(f.sysctl ?? {})) out.set(`${k}=${v}`, k);
      }
    }
  }
  return out;
}

const path = (key: string) => `/proc/sys/${key.replaceAll('.', '/')}`;

test('every sysctl value the doctor suggests is accepted by this kernel', () => {
  const ns = `mdbench-sysctl-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const tried: string[] = [];
    for (const [setting, key] of suggestions()) {
      const value = setting.slice(key.length + 1);
      if (!existsSync(path(key))) continue; // a setting this kernel lacks is not suggested on it (the doctor reads it first)
      const inNs = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', `test -w ${path(key)}`]).status === 0;
      if (inNs && key.startsWith('net.')) {
        const r = spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-w', `${key}=${value}`], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${key}="${value}" in a namespace: ${r.stderr}`);
      } else {
        const before = readFileSync(path(key), 'utf8').trim();
        const r = spawnSync('sysctl', ['-w', `${key}=${value}`], { encoding: 'utf8' });
        spawnSync('sysctl', ['-w', `${key}=${before}`]);
        assert.equal(r.status, 0, `${key}="${value}" on the host: ${r.stderr}`);
      }
      tried.push(key);
    }
    for (const key of ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'fs.nr_open', 'fs.file-max']) assert.ok(tried.includes(key), `${key} suggested and tried`);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
});
