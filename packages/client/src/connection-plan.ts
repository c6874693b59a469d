import type { RampOptions } from './worker/ramp.js';
import {
  AddressPlan,
  SubjectPlan,
  compilePatternList,
  resolveServers,
  slicePart,
  toArray,
  withProtocolPath,
  type RunProtocol,
  type ServerAddress,
} from '@mdbench/core/worker';
import type { ClientConfig } from './options.js';

/** The most local addresses a list may name. */
const MAX_LOCAL_ADDRESSES = 100_000;

// What the coordinator plans and each worker derives again from the same options, with these same
// functions: which local addresses and ports, which subjects, which share of the connections.

/** The servers, in order (connection i uses server i mod count), each with the protocol's own path where its address names none. */
export function serversOf(options: ClientConfig, protocol: Pick<RunProtocol, 'path'>): ServerAddress[] {
  return withProtocolPath(resolveServers(options.serverAddresses), protocol);
}

/** `LocalAddresses` expanded (none: the kernel chooses). */
export function localAddressesOf(options: ClientConfig): string[] {
  return options.localAddresses ? toArray(compilePatternList(options.localAddresses), MAX_LOCAL_ADDRESSES) : [];
}

/** The subjects each connection subscribes to. */
export function subjectPlanOf(options: ClientConfig): SubjectPlan {
  return new SubjectPlan({
    subjects: compilePatternList(options.subjects),
    perClient: options.subjectsPerClient,
    oneToOne: options.oneToOne,
    seed: options.seed,
  });
}

/**
 * Each connection's local address and port: the servers' ports and the ports other programs listen
 * on (`blockedPorts`, found on the host by the coordinator) left out.
 */
export function addressPlanOf(options: ClientConfig, servers: readonly ServerAddress[], blockedPorts: readonly number[]): AddressPlan {
  return new AddressPlan({
    localAddresses: localAddressesOf(options),
    ports: options.localPorts,
    excludePorts: [...servers.map((s) => s.port), ...blockedPorts],
    clients: options.clients,
  });
}

/** Worker `k` of `workers`: its contiguous share of this instance's connections, as fleet numbers. */
export interface WorkerShare {
  /** Fleet number of this instance's first connection: instance i opens connections i*Clients.. (the article's manual split). */
  instanceFrom: number;
  /** Fleet number of the worker's first connection, and how many it opens. */
  from: number;
  count: number;
}

/** Fleet number of instance `instanceIndex`'s first connection: instance i opens connections i*Clients.. */
export function instanceFromOf(options: ClientConfig, instanceIndex: number): number {
  return instanceIndex * options.clients;
}

export function workerShareOf(options: ClientConfig, instanceIndex: number, workers: number, k: number): WorkerShare {
  const instanceFrom = instanceFromOf(options, instanceIndex);
  const part = slicePart(options.clients, workers, k);
  return { instanceFrom, from: instanceFrom + part.from, count: part.count };
}

/** A worker's ramp: its share of the connections, and of the coordinator's connect rate and pending bound. */
export function rampOptionsOf(options: ClientConfig, share: WorkerShare, workers: number): RampOptions {
  return {
    // The open model's connections come by arrivals, not by the ramp.
    count: options.arrivalRate === undefined ? share.count : 0,
    connectRate: options.connectRate / workers,
    maxPending: Math.max(1, Math.floor(options.maxPending / workers)),
    handshakeTimeoutMs: options.handshakeTimeout * 1000,
    backoff: { baseMs: options.reconnectMin * 1000, maxMs: options.reconnectMax * 1000 },
  };
}
