import type { HostView } from '../system/host-view.js';
import type { Finding, HostPlan } from './finding.js';

/** Every local address (IP alias) the plan binds must be on this host. */
export function addressChecks(host: HostView, plan: HostPlan): Finding[] {
  if (plan.localAddresses.length === 0) return [];
  const have = new Set(host.addresses());
  const isLocal = (a: string) => have.has(a) || (a.startsWith('127.') && have.has('127.0.0.1')) || a === '::1';
  const missing = plan.localAddresses.filter((a) => !isLocal(a));
  if (missing.length === 0) return [{ item: 'local addresses', level: 'ok', detail: `all ${plan.localAddresses.length} planned addresses are on this host` }];
  return [
    {
      item: 'local addresses',
      level: 'fail',
      detail: `local address(es) ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} do not exist on this host (${missing.length} of ${plan.localAddresses.length} planned)`,
      fix:
        missing
          .slice(0, 3)
          .map((a) => `ip addr add ${a}/32 dev ${plan.iface ?? 'lo'}`)
          .join('; ') + (missing.length > 3 ? '; ... (one per address, on the interface that reaches the server)' : ''),
    },
  ];
}
