import type { HostView } from '../system/host-view.js';
import { fmt, sysctl, sysctlNumbers, type Finding, type HostPlan } from './finding.js';

/** Local ports against the kernel's ephemeral range: overlapping the plan's, or too few for kernel-chosen ports. */
export function portRangeChecks(host: HostView, plan: HostPlan): Finding[] {
  const out: Finding[] = [];
  const range = sysctlNumbers(host, 'net.ipv4.ip_local_port_range');
  if (range && range.length === 2) {
    const [lo, hi] = range;
    const ports = plan.localPorts;
    if (plan.role === 'client' && ports && plan.localAddresses.length > 0) {
      const overlap = ports.from <= hi && ports.to >= lo;
      out.push(
        overlap
          ? {
              item: 'net.ipv4.ip_local_port_range',
              level: 'warn',
              detail: `the kernel's ephemeral ports ${lo}-${hi} overlap the planned LocalPorts ${ports.from}-${ports.to}: other programs' outgoing connections can take ports the plan binds (EADDRINUSE); the range fix leaves ${fmt(65536 - Math.min(65000, ports.to + 1))} ephemeral ports to every other program (a publisher or client without LocalAddresses needs one per connection), moving LocalPorts below ${lo} leaves them all`,
              // The kernel keeps at least 536 ports above the plan; a plan reaching past 64999 must end lower.
              fix:
                ports.to < 65000
                  ? `sysctl -w net.ipv4.ip_local_port_range="${ports.to + 1} 65535" (or LocalPorts below ${lo})`
                  : `sysctl -w net.ipv4.ip_local_port_range="65000 65535" with LocalPorts ending at 64999 (or below ${lo})`,
              sysctl: { 'net.ipv4.ip_local_port_range': `${Math.min(65000, ports.to + 1)} 65535` },
            }
          : { item: 'net.ipv4.ip_local_port_range', level: 'ok', detail: `${lo}-${hi}, clear of the planned LocalPorts ${ports.from}-${ports.to}` },
      );
    } else {
      const count = hi - lo + 1;
      const need = plan.role === 'server' ? 0 : plan.sockets;
      out.push(
        need > count
          ? {
              item: 'net.ipv4.ip_local_port_range',
              level: 'fail',
              detail: `${fmt(count)} ephemeral ports (${lo}-${hi}) for ${fmt(need)} kernel-chosen connections to one server address: use LocalAddresses with LocalPorts, or widen the range`,
              fix: 'sysctl -w net.ipv4.ip_local_port_range="1024 65535"',
              sysctl: { 'net.ipv4.ip_local_port_range': '1024 65535' },
            }
          : { item: 'net.ipv4.ip_local_port_range', level: 'ok', detail: `${lo}-${hi}` },
      );
    }
  }
  return out;
}

/** TIME_WAIT reuse (tcp_tw_recycle is gone since Linux 4.12). */
export function timeWaitChecks(host: HostView, plan: HostPlan): Finding[] {
  const out: Finding[] = [];
  const reuse = sysctl(host, 'net.ipv4.tcp_tw_reuse');
  if (reuse !== undefined) {
    out.push(
      reuse === '1' || plan.role === 'server'
        ? {
            item: 'net.ipv4.tcp_tw_reuse',
            level: 'ok',
            detail: reuse === '1' ? '1: ports in TIME_WAIT are reused for new outgoing connections' : `${reuse} (a server box does not need it)`,
          }
        : {
            item: 'net.ipv4.tcp_tw_reuse',
            level: 'warn',
            detail: `${reuse}: explicit local ports left in TIME_WAIT by one round are not reusable by the next for about a minute (${reuse === '2' ? 'reuse is on for loopback only' : 'reuse is off'})`,
            fix: 'sysctl -w net.ipv4.tcp_tw_reuse=1',
            sysctl: { 'net.ipv4.tcp_tw_reuse': '1' },
          },
    );
  }
  const recycle = sysctl(host, 'net.ipv4.tcp_tw_recycle');
  out.push(
    recycle === undefined
      ? { item: 'net.ipv4.tcp_tw_recycle', level: 'ok', detail: 'not present: removed in Linux 4.12 (the article set it; tcp_tw_reuse is what remains)' }
      : recycle === '1'
        ? {
            item: 'net.ipv4.tcp_tw_recycle',
            level: 'warn',
            detail: '1: drops connections from clients behind NAT; removed from Linux since 4.12',
            fix: 'sysctl -w net.ipv4.tcp_tw_recycle=0',
            sysctl: { 'net.ipv4.tcp_tw_recycle': '0' },
          }
        : { item: 'net.ipv4.tcp_tw_recycle', level: 'ok', detail: `${recycle}` },
  );
  return out;
}
