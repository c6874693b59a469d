import type { HostView } from '../system/host-view.js';
import { fmt, sysctl, type Finding, type HostPlan } from './finding.js';

/** The accept backlog a server of `sockets` connections asks for (listen()'s backlog argument). */
function listenBacklog(sockets: number): number {
  return Math.min(65535, Math.max(1024, sockets));
}

/** A server's accept backlog against the kernel's cap. */
export function backlogChecks(host: HostView, plan: HostPlan): Finding[] {
  const somax = Number(sysctl(host, 'net.core.somaxconn') ?? NaN);
  if (plan.role !== 'server' || !Number.isFinite(somax)) return [];
  const want = listenBacklog(plan.sockets);
  return [
    somax >= want
      ? { item: 'net.core.somaxconn', level: 'ok', detail: `${fmt(somax)} >= the ${fmt(want)} backlog the server asks for` }
      : {
          item: 'net.core.somaxconn',
          level: 'warn',
          detail: `${fmt(somax)} caps the accept backlog below ${fmt(want)}: fast ramps see SYNs dropped and retried`,
          fix: `sysctl -w net.core.somaxconn=${want}`,
          sysctl: { 'net.core.somaxconn': String(want) },
        },
  ];
}

/** Packet backlog and connection tracking, against the planned connections. */
export function queueChecks(host: HostView, plan: HostPlan): Finding[] {
  const out: Finding[] = [];
  const backlog = Number(sysctl(host, 'net.core.netdev_max_backlog') ?? NaN);
  if (Number.isFinite(backlog)) {
    out.push(
      backlog >= 16384 || plan.sockets < 100_000
        ? { item: 'net.core.netdev_max_backlog', level: 'ok', detail: `${fmt(backlog)} packets queued per CPU before the kernel drops` }
        : {
            item: 'net.core.netdev_max_backlog',
            level: 'warn',
            detail: `${fmt(backlog)} packets per CPU: bursts to ${fmt(plan.sockets)} connections overflow it and are dropped (counted in /proc/net/softnet_stat)`,
            fix: 'sysctl -w net.core.netdev_max_backlog=16384',
            sysctl: { 'net.core.netdev_max_backlog': '16384' },
          },
    );
  }
  const ctMax = sysctl(host, 'net.netfilter.nf_conntrack_max');
  const ctCount = Number(sysctl(host, 'net.netfilter.nf_conntrack_count') ?? NaN);
  if (ctMax === undefined) out.push({ item: 'nf_conntrack_max', level: 'ok', detail: 'connection tracking is not loaded: no table to fill' });
  else if (ctCount === 0)
    out.push({
      item: 'net.netfilter.nf_conntrack_max',
      level: 'ok',
      detail: `${fmt(Number(ctMax))}, but no connection is tracked now (loaded, no rule uses it); if a firewall rule starts tracking, the table must hold ${fmt(Math.ceil(plan.sockets * 1.2))}`,
    });
  else {
    const want = Math.ceil(plan.sockets * 1.2);
    out.push(
      Number(ctMax) >= want
        ? { item: 'net.netfilter.nf_conntrack_max', level: 'ok', detail: `${fmt(Number(ctMax))} >= ${fmt(want)}` }
        : {
            item: 'net.netfilter.nf_conntrack_max',
            level: 'fail',
            detail: `${fmt(Number(ctMax))} < ${fmt(want)}: once the table is full, new connections are dropped ("nf_conntrack: table full" in dmesg)`,
            fix: `sysctl -w net.netfilter.nf_conntrack_max=${want}`,
            sysctl: { 'net.netfilter.nf_conntrack_max': String(want) },
          },
    );
  }
  return out;
}
