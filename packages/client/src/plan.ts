import os from 'node:os';
import {
  type AddressPlan,
  BASE_FDS,
  Problems,
  checkMetricsListen,
  resolveInstance,
  resolveServers,
  blockedPorts,
  listeningSockets,
  realHost,
  type BlockedPort,
  type Listener,
  tlsFilesOf,
  type HostPlan,
  type Instance,
  type ResolvedConfig,
  type ServerAddress,
} from '@mdbench/core/internal';
import type { ClientConfig } from './options.js';
import type { ClientWorkerConfig } from './worker-config.js';
import { addressPlanOf, instanceFromOf, localAddressesOf, subjectPlanOf } from './connection-plan.js';
import { parseLifetime } from './lifetime.js';

/** Worker count: at least one per core, and enough that no worker passes the open-file limit. */
export function chooseClientWorkers(explicit: number | undefined, clients: number, nofileHard: number | undefined): number {
  if (explicit) return explicit;
  const perProc = Math.max(1, (nofileHard ?? 1_048_576) - BASE_FDS - 64);
  return Math.min(clients, Math.max(os.availableParallelism(), Math.ceil(clients / perProc)));
}

export interface ClientPlan {
  servers: ServerAddress[];
  addresses: string[];
  addressPlan: AddressPlan;
  instance: Instance;
  /** Fleet number of this instance's first connection: instance k opens connections k*Clients.. (the article's manual split). */
  instanceFrom: number;
  /** Ports of LocalPorts other programs listen on (on every address, or a planned one): left out of the plan. */
  blocked: BlockedPort[];
}

/**
 * Expands and checks everything before a socket is opened. Every problem is reported at once,
 * each located where its value came from (file and line, environment variable or flag).
 */
export function buildClientPlan(
  cfg: ClientConfig,
  resolved: Pick<ResolvedConfig, 'origins'>,
  env: Record<string, string | undefined>,
  listeners: readonly Listener[] = listeningSockets(realHost()),
): ClientPlan {
  const p = new Problems(resolved);
  const servers = p.check('serverAddresses', () => resolveServers(cfg.serverAddresses)) ?? [];
  const addresses = p.check('localAddresses', () => localAddressesOf(cfg));
  p.check('subjects', () => subjectPlanOf(cfg));
  if (cfg.lifetime !== undefined) p.check('lifetime', () => parseLifetime(cfg.lifetime as string));
  // A port another program listens on (epmd's *:4369...) cannot be bound on that address: leave it out.
  const blocked = blockedPorts(listeners, { addresses: addresses ?? [], ports: cfg.localPorts, clients: cfg.clients });
  // The workers build this plan again from the same options and blocked ports (connection-plan.ts).
  const addressPlan = addresses
    ? addressPlanOf(
        cfg,
        servers,
        blocked.map((b) => b.port),
      )
    : null;
  if (addressPlan) p.check(cfg.localAddresses ? 'localAddresses' : 'clients', () => addressPlan.assertFits());
  const instance = p.check('instance', () => resolveInstance(cfg.instance, cfg.instances, env)) ?? { index: 0, count: 1 };
  if (cfg.reconnectMin > cfg.reconnectMax) p.add('reconnectMin', `ReconnectMin ${cfg.reconnectMin} s is above ReconnectMax ${cfg.reconnectMax} s`);
  checkMetricsListen(p, cfg.metricsListen);
  p.throwIfAny();
  return { servers, addresses: addresses ?? [], addressPlan: addressPlan as AddressPlan, instance, instanceFrom: instanceFromOf(cfg, instance.index), blocked };
}

/** What this run asks of the host, for the pre-flight and mdbench-doctor. */
export function clientHostPlan(cfg: ClientConfig, plan: ClientPlan, workers: number): HostPlan {
  return {
    role: 'client',
    sockets: cfg.clients,
    socketsPerProcess: Math.ceil(cfg.clients / workers),
    processes: workers,
    localAddresses: plan.addresses,
    localPorts: plan.addresses.length ? cfg.localPorts : undefined,
    serverHost: plan.servers[0].host,
    iface: cfg.iface,
    tls: tlsFilesOf(cfg),
  };
}

/** What worker k of `workers` is handed: the options whole, and what only the coordinator found out. */
export function workerConfig(
  cfg: ClientConfig,
  plan: ClientPlan,
  protocol: { name: string; options: ClientWorkerConfig['protocolOptions'] },
  workers: number,
  k: number,
): ClientWorkerConfig {
  return {
    workerId: k,
    workers,
    options: cfg,
    instanceIndex: plan.instance.index,
    blockedPorts: plan.blocked.map((b) => b.port),
    protocol: protocol.name,
    protocolOptions: protocol.options,
  };
}
