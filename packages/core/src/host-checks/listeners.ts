import type { HostView } from '../system/host-view.js';
import { blockedPorts, listeningSockets } from '../system/listeners.js';
import { fmt, type Finding, type HostPlan } from './finding.js';

/**
 * Programs listening at ports of the plan's LocalPorts, on every address (epmd's `*:4369`) or on a
 * planned one: the plan cannot bind those ports there. mdbench-client leaves them out of its plan;
 * this says which they are and what binding them would have cost.
 */
export function listenerChecks(host: HostView, plan: HostPlan): Finding[] {
  if (plan.role !== 'client' || !plan.localPorts || plan.localAddresses.length === 0) return [];
  const blocked = blockedPorts(listeningSockets(host), { addresses: plan.localAddresses, ports: plan.localPorts, clients: plan.sockets });
  if (blocked.length === 0)
    return [
      {
        item: 'listeners in LocalPorts',
        level: 'ok',
        detail: `no program listens at a port of ${plan.localPorts.from}-${plan.localPorts.to} on the planned addresses`,
      },
    ];
  return blocked.map((b) => ({
    item: `listener ${b.by.join(', ')}`,
    level: 'warn',
    detail: `port ${b.port} of LocalPorts is taken on ${b.by.some((x) => x.startsWith('*:')) ? 'every address' : b.by.map((x) => x.slice(0, x.lastIndexOf(':'))).join(', ')}: ${fmt(b.connections)} planned connection(s) would fail with EADDRINUSE; mdbench-client leaves the port out of its plan`,
    fix: `nothing needed (the client skips port ${b.port}); or stop the program listening there, or keep LocalPorts clear of it`,
  }));
}
