import type { HostView } from '../system/host-view.js';
import { interfaceFor } from '../system/bandwidth.js';
import type { Finding, HostPlan } from './finding.js';

/** The CPUs an smp_affinity mask names (`"00000003"` -> [0, 1]; comma groups of 32 bits). */
export function maskCpus(mask: string): number[] {
  const hex = mask.trim().replace(/,/g, '');
  const cpus: number[] = [];
  for (let i = 0; i < hex.length; i++) {
    const nibble = parseInt(hex[hex.length - 1 - i], 16);
    for (let b = 0; b < 4; b++) if (nibble & (1 << b)) cpus.push(i * 4 + b);
  }
  return cpus;
}

/** The mask of one CPU, as smp_affinity takes it. */
export function cpuMask(cpu: number): string {
  return (BigInt(1) << BigInt(cpu)).toString(16);
}

/**
 * The NIC the run uses: its receive queues and where their interrupts go. The article spread its
 * 24 queues over 24 cores by hand; with every queue's IRQ on one CPU, that CPU handles all the
 * packets. Loopback has no queues.
 */
export function nicChecks(host: HostView, plan: HostPlan): Finding[] {
  const iface = plan.iface ?? interfaceFor(plan.serverHost, plan.localAddresses[0]) ?? 'lo';
  if (iface === 'lo') return [{ item: `NIC queues (${iface})`, level: 'ok', detail: 'loopback: no receive queues or interrupts to spread' }];
  const queues = host.list(`/sys/class/net/${iface}/queues`).filter((q) => q.startsWith('rx-'));
  const out: Finding[] = [{ item: `NIC queues (${iface})`, level: 'ok', detail: `${queues.length} receive queue(s)` }];
  const irqs = (host.read('/proc/interrupts') ?? '')
    .split('\n')
    .filter((l) => new RegExp(`\\b${iface}\\b`).test(l))
    .map((l) => Number(/^\s*(\d+):/.exec(l)?.[1]))
    .filter((n) => Number.isInteger(n));
  const irqbalance = host.list('/proc').some((pid) => /^\d+$/.test(pid) && host.read(`/proc/${pid}/comm`)?.trim() === 'irqbalance');
  if (irqs.length === 0) {
    out.push({ item: `IRQ affinity (${iface})`, level: 'ok', detail: `no interrupts named after ${iface} in /proc/interrupts (virtual NIC)` });
    return out;
  }
  const cpusOf = irqs.map((irq) => maskCpus(host.read(`/proc/irq/${irq}/smp_affinity`) ?? '0'));
  const used = new Set(cpusOf.map((c) => (c.length === 1 ? c[0] : -1)));
  const pinnedToOne = cpusOf.every((c) => c.length === 1) && used.size === 1 && irqs.length > 1;
  if (pinnedToOne && !irqbalance) {
    const fix = irqs.map((irq, i) => `echo ${cpuMask(i % host.cpus)} > /proc/irq/${irq}/smp_affinity`).join('; ');
    out.push({
      item: `IRQ affinity (${iface})`,
      level: 'warn',
      detail: `all ${irqs.length} queue interrupts go to CPU ${[...used][0]}, and irqbalance is not running: that CPU handles every packet`,
      fix: `${fix}   (or start irqbalance)`,
    });
  } else {
    out.push({
      item: `IRQ affinity (${iface})`,
      level: 'ok',
      detail: `${irqs.length} queue interrupts over CPUs ${[...new Set(cpusOf.flat())].sort((a, b) => a - b).join(',')}${irqbalance ? '; irqbalance is running' : ''}`,
    });
  }
  return out;
}
