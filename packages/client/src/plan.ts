import os from 'node:os';
import {
  AddressPlan,
  BASE_FDS,
  Problems,
  SubjectPlan,
  checkMetricsListen,
  compilePatternList,
  resolveInstance,
  resolveServers,
  slicePart,
  tlsOptionsOf,
  deflateOfferOf,
  toArray,
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
} from '@mdbench/core';
import type { ClientConfig } from './options.js';
import type { ClientWorkerConfig } from './worker-config.js';

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
  const addresses = cfg.localAddresses ? (p.check('localAddresses', () => toArray(compilePatternList(cfg.localAddresses as string), 100_000)) ?? []) : [];
  p.check(
    'subjects',
    () => new SubjectPlan({ subjects: compilePatternList(cfg.subjects), perClient: cfg.subjectsPerClient, oneToOne: cfg.oneToOne, seed: cfg.seed }),
  );
  // A port another program listens on (epmd's *:4369...) cannot be bound on that address: leave it out.
  const blocked = blockedPorts(listeners, { addresses, ports: cfg.localPorts, clients: cfg.clients });
  const addressPlan = new AddressPlan({
    localAddresses: addresses,
    ports: cfg.localPorts,
    excludePorts: [...servers.map((s) => s.port), ...blocked.map((b) => b.port)],
    clients: cfg.clients,
  });
  p.check(cfg.localAddresses ? 'localAddresses' : 'clients', () => addressPlan.assertFits());
  const instance = p.check('instance', () => resolveInstance(cfg.instance, cfg.instances, env)) ?? { index: 0, count: 1 };
  if (cfg.reconnectMin > cfg.reconnectMax) p.add('reconnectMin', `ReconnectMin ${cfg.reconnectMin} s is above ReconnectMax ${cfg.reconnectMax} s`);
  checkMetricsListen(p, cfg.metricsListen);
  p.throwIfAny();
  return { servers, addresses, addressPlan, instance, instanceFrom: instance.index * cfg.clients, blocked };
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

/** What worker k of `workers` is handed: its contiguous slice of this instance's connections. */
export function workerConfig(
  cfg: ClientConfig,
  plan: ClientPlan,
  protocol: { name: string; options: ClientWorkerConfig['protocolOptions'] },
  workers: number,
  k: number,
): ClientWorkerConfig {
  const part = slicePart(cfg.clients, workers, k);
  return {
    workerId: k,
    from: plan.instanceFrom + part.from,
    count: part.count,
    instanceFrom: plan.instanceFrom,
    instance: plan.instance.index + 1,
    localAddresses: plan.addresses,
    localPorts: cfg.localPorts,
    excludePorts: [...plan.servers.map((s) => s.port), ...plan.blocked.map((b) => b.port)],
    instanceClients: cfg.clients,
    servers: plan.servers.map(({ host, port, path, tls }) => ({ host, port, path, tls })),
    tls: tlsOptionsOf(cfg),
    deflate: deflateOfferOf(cfg),
    subjects: cfg.subjects,
    subjectsPerClient: cfg.subjectsPerClient,
    oneToOne: cfg.oneToOne,
    seed: cfg.seed,
    connectRate: cfg.connectRate / workers,
    maxPending: Math.max(1, Math.floor(cfg.maxPending / workers)),
    handshakeTimeoutMs: cfg.handshakeTimeout * 1000,
    bufferSize: cfg.bufferSize,
    latencyFrom: cfg.latencyFrom,
    warmupS: cfg.warmup,
    mask: cfg.mask,
    token: cfg.token,
    reconnect: cfg.reconnect,
    reconnectMinMs: cfg.reconnectMin * 1000,
    reconnectMaxMs: cfg.reconnectMax * 1000,
    protocol: protocol.name,
    protocolOptions: protocol.options,
    clientIdPrefix: cfg.clientIdPrefix,
  };
}
