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
  const listenHost = role === 'server' ? String(c.listen).replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : '';
  const tls = c.tlsCert || c.tlsKey || c.tlsCa ? { certFile: c.tlsCert, keyFile: c.tlsKey, caFile: c.tlsCa, names: role === 'server' && !['0.0.0.0', '::', ''].includes(listenHost) ? [listenHost] : [] } : undefined;
  if (role === 'server') {
    const workers = chooseServerWorkers(c.workers, c.expectConnections, nofileHard, c.scheduling === 'shared');
    const perProcess = Math.ceil((c.expectConnections / workers) * (c.scheduling === 'shared' ? 1.15 : 1));
    return { role, sockets: c.expectConnections, socketsPerProcess: perProcess, processes: workers, localAddresses: [], serverHost: String(c.listen).split(':')[0] || '127.0.0.1', iface, tls };
  }
  const servers = resolveServers(c.serverAddresses);
  if (role === 'publisher') return { role, sockets: c.connections, socketsPerProcess: c.connections, processes: 1, localAddresses: [], serverHost: servers[0].host, iface, tls };
  const addresses = c.localAddresses ? toArray(compilePatternList(c.localAddresses), 100_000) : [];
  new AddressPlan({ localAddresses: addresses, ports: c.localPorts, clients: c.clients, excludePorts: servers.map((s) => s.port) }).assertFits();
  const workers = chooseClientWorkers(c.workers, c.clients, nofileHard);
  return { role, sockets: c.clients, socketsPerProcess: Math.ceil(c.clients / workers), processes: workers, localAddresses: addresses, localPorts: addresses.length ? c.localPorts : undefined, serverHost: servers[0].host, iface, tls };
}
