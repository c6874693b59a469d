import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { limitsText } from './map-host.js';

/** A host in a folder: files as on a real one. */
export function hostTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mdbench-host-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

/** A host that needs fixing everywhere this machine cannot show: a NIC with four queues on one CPU, conntrack tracking, a clock off. */
export const badHost = {
  'proc/sys/fs/nr_open': '10000\n',
  'proc/sys/fs/file-max': '50000\n',
  'proc/self/limits': limitsText(10000, 10000),
  'proc/77/limits': limitsText(1024, 10000),
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
  'proc/interrupts':
    '           CPU0       CPU1\n  40:   1000  0   PCI-MSI-edge  eth0-TxRx-0\n  41:   1000  0   PCI-MSI-edge  eth0-TxRx-1\n  42:   1000  0   PCI-MSI-edge  eth0-TxRx-2\n  43:   1000  0   PCI-MSI-edge  eth0-TxRx-3\n',
  'proc/irq/40/smp_affinity': '1\n',
  'proc/irq/41/smp_affinity': '1\n',
  'proc/irq/42/smp_affinity': '1\n',
  'proc/irq/43/smp_affinity': '1\n',
  'commands/chronyc': 'Reference ID    : C0A80101 (ntp)\nSystem time     : 0.002500000 seconds fast of NTP time\nLeap status     : Normal\n',
  addresses: '10.0.0.5\n10.0.1.5\n',
  memory: String(16 * 2 ** 30),
  cpus: '4',
};
