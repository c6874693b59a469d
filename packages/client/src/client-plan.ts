import os from 'node:os';
import {
  AddressPlan,
  BASE_FDS,
  ExitCode,
  MdbenchError,
  NATIVE_SUBPROTOCOL,
  SubjectPlan,
  checkSocketPlan,
  compilePatternList,
  parseServerAddress,
  probeServer,
  slicePart,
  toArray,
  type HostFacts,
  type ServerAddress,
} from '@mdbench/core';
import type { ClientConfig } from './options.js';
import type { ClientWorkerConfig } from './worker-protocol.js';

function configError(key: string, err: unknown): MdbenchError {
  return new MdbenchError('MDB_CONFIG_VALUE', (err as Error).message, { location: { file: 'configuration', key } });
}

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
}

/** Expands and checks everything before a socket is opened; every problem names its key. */
export function buildClientPlan(cfg: ClientConfig): ClientPlan {
  let servers: ServerAddress[];
  try {
    servers = toArray(compilePatternList(cfg.serverAddresses), 10_000).map(parseServerAddress);
  } catch (err) {
    throw configError('ServerAddresses', err);
  }
  let addresses: string[] = [];
  if (cfg.localAddresses) {
    try {
      addresses = toArray(compilePatternList(cfg.localAddresses), 100_000);
    } catch (err) {
      throw configError('LocalAddresses', err);
    }
  }
  try {
    new SubjectPlan({ subjects: compilePatternList(cfg.subjects), perClient: cfg.subjectsPerClient, oneToOne: cfg.oneToOne, seed: cfg.seed });
  } catch (err) {
    throw configError('Subjects', err);
  }
  const addressPlan = new AddressPlan({ localAddresses: addresses, ports: cfg.localPorts, excludePorts: servers.map((s) => s.port), clients: cfg.clients });
  addressPlan.assertFits('configuration');
  return { servers, addresses, addressPlan };
}

/** Pre-flight: refuses what this host cannot carry (with the fixing command), returns the warnings. */
export function preflight(cfg: ClientConfig, plan: ClientPlan, workers: number, facts: HostFacts): string[] {
  const findings = checkSocketPlan(
    {
      socketsPerProcess: Math.ceil(cfg.clients / workers),
      socketsTotal: cfg.clients,
      processes: workers,
      processFlag: '--workers',
      localAddresses: plan.addresses,
      localPorts: plan.addresses.length ? cfg.localPorts : undefined,
    },
    facts,
  );
  const error = findings.find((f) => f.level === 'error');
  if (error) throw new MdbenchError('MDB_PREFLIGHT', error.message, { exitCode: ExitCode.PREFLIGHT, hint: error.fix });
  return findings.map((f) => `${f.message}; fix: ${f.fix}`);
}

/** One connection per server before the run: is it there, does it speak the protocol, does it take the token. */
export async function probeServers(plan: ClientPlan, headers: Record<string, string> | undefined, timeoutMs: number): Promise<void> {
  for (const s of plan.servers.slice(0, 16)) {
    const r = await probeServer(s, { path: s.path, subprotocol: NATIVE_SUBPROTOCOL, headers, timeoutMs });
    if (!r.ok) {
      throw new MdbenchError('MDB_UNREACHABLE', `cannot reach server ${s.text}: ${r.cause}${r.detail && r.detail !== r.cause ? ` (${r.detail})` : ''}`, {
        exitCode: ExitCode.UNREACHABLE,
        hint: 'start the server first (mdbench-server --listen HOST:PORT) or fix ServerAddresses',
      });
    }
  }
}

/** What worker k of `workers` is handed: its contiguous slice of this instance's connections. */
export function workerConfig(cfg: ClientConfig, plan: ClientPlan, instanceFrom: number, workers: number, k: number): ClientWorkerConfig {
  const part = slicePart(cfg.clients, workers, k);
  return {
    workerId: k,
    from: instanceFrom + part.from,
    count: part.count,
    instanceFrom,
    localAddresses: plan.addresses,
    localPorts: cfg.localPorts,
    excludePorts: plan.servers.map((s) => s.port),
    instanceClients: cfg.clients,
    servers: plan.servers.map(({ host, port, path }) => ({ host, port, path })),
    subjects: cfg.subjects,
    subjectsPerClient: cfg.subjectsPerClient,
    oneToOne: cfg.oneToOne,
    seed: cfg.seed,
    connectRate: cfg.connectRate / workers,
    maxPending: Math.max(1, Math.floor(cfg.maxPending / workers)),
    handshakeTimeoutMs: cfg.handshakeTimeout * 1000,
    bufferSize: cfg.bufferSize,
    latencyFrom: cfg.latencyFrom,
    mask: cfg.mask,
    token: cfg.token,
    reconnect: cfg.reconnect,
    reconnectMinMs: cfg.reconnectMin * 1000,
    reconnectMaxMs: cfg.reconnectMax * 1000,
  };
}
