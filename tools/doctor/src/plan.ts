import { openFileHardLimit, resolveServers, listeningSockets, type HostPlan, type HostView, type OptionSpec, type ResolvedConfig } from '@mdbench/core';
import { buildClientPlan, chooseClientWorkers, clientHostPlan, clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';
import { chooseServerWorkers, serverHostPlan, serverSpecs } from '@mdbench/server';

export type Role = HostPlan['role'];

/** Each role's option table: the doctor takes the same options as the run it checks. */
export const ROLE_SPECS: Record<Role, readonly OptionSpec[]> = { client: clientSpecs, publisher: publisherSpecs, server: serverSpecs };

/** What a run with configuration `c` will ask of the host, planned by the tool's own code. */
export function planOf(role: Role, c: Record<string, any>, resolved: Pick<ResolvedConfig, 'origins'>, host: HostView, env: Record<string, string | undefined>): HostPlan {
  const nofileHard = openFileHardLimit(host);
  if (role === 'server') return serverHostPlan(c as any, chooseServerWorkers(c.workers, c.expectConnections, nofileHard, c.scheduling === 'shared'));
  if (role === 'publisher') {
    const servers = resolveServers(c.serverAddresses);
    const tls = c.tlsCert || c.tlsKey || c.tlsCa ? { certFile: c.tlsCert, keyFile: c.tlsKey, caFile: c.tlsCa, names: [] } : undefined;
    return { role, sockets: c.connections, socketsPerProcess: c.connections, processes: 1, localAddresses: [], serverHost: servers[0].host, iface: c.iface, tls };
  }
  const plan = buildClientPlan(c as any, resolved, env, listeningSockets(host));
  return clientHostPlan(c as any, plan, chooseClientWorkers(c.workers, c.clients, nofileHard));
}
