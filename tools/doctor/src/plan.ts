import { AddressPlan, compilePatternList, resolveServers, toArray, type OptionSpec } from '@mdbench/core';
import { chooseClientWorkers, clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';
import { chooseServerWorkers, serverSpecs } from '@mdbench/server';
import type { Plan } from './checks/finding.js';

export type Role = Plan['role'];

/** Each role's option table: the doctor takes the same options as the run it checks. */
export const ROLE_SPECS: Record<Role, readonly OptionSpec[]> = { client: clientSpecs, publisher: publisherSpecs, server: serverSpecs };

/** What a run with configuration `c` will ask of the host, as the tool itself would plan it. */
export function planOf(role: Role, c: Record<string, any>, nofileHard: number | undefined): Plan {
  const iface: string | undefined = c.iface;
  if (role === 'server') {
    const workers = chooseServerWorkers(c.workers, c.expectConnections, nofileHard, c.scheduling === 'shared');
    const perProcess = Math.ceil((c.expectConnections / workers) * (c.scheduling === 'shared' ? 1.15 : 1));
    return { role, sockets: c.expectConnections, socketsPerProcess: perProcess, processes: workers, localAddresses: [], serverHost: String(c.listen).split(':')[0] || '127.0.0.1', iface };
  }
  const servers = resolveServers(c.serverAddresses);
  if (role === 'publisher') return { role, sockets: c.connections, socketsPerProcess: c.connections, processes: 1, localAddresses: [], serverHost: servers[0].host, iface };
  const addresses = c.localAddresses ? toArray(compilePatternList(c.localAddresses), 100_000) : [];
  new AddressPlan({ localAddresses: addresses, ports: c.localPorts, clients: c.clients, excludePorts: servers.map((s) => s.port) }).assertFits();
  const workers = chooseClientWorkers(c.workers, c.clients, nofileHard);
  return { role, sockets: c.clients, socketsPerProcess: Math.ceil(c.clients / workers), processes: workers, localAddresses: addresses, localPorts: addresses.length ? c.localPorts : undefined, serverHost: servers[0].host, iface };
}
