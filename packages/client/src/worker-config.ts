import { checkShape, type ProtocolOptions } from '@mdbench/core/worker';
import { checkOptions } from '@mdbench/core/options';
import type { ClientGauges, ClientStatsWire } from '@mdbench/core/internal';
import { clientSpecs, type ClientConfig } from './options.js';

/**
 * What a client worker is handed, as its first IPC message: the run's resolved options whole (the
 * worker derives its plan from them with the coordinator's own functions, connection-plan.ts) and
 * what only the coordinator could find out. A worker-side option is a row of the option table and
 * the code that reads it; nothing here.
 */
export interface ClientWorkerConfig {
  workerId: number;
  workers: number;
  options: ClientConfig;
  /** This instance's index in the fleet (from --instance or the environment). */
  instanceIndex: number;
  /** Ports of LocalPorts other programs listen on, found on this host: left out of the address plan. */
  blockedPorts: number[];
  /** A built-in protocol's name or a plug-in's absolute path, and its settings. */
  protocol: string;
  protocolOptions: ProtocolOptions;
}

/** The worker's configuration, checked on arrival: the envelope field by field, the options against their table. */
export function parseClientWorkerConfig(raw: unknown): ClientWorkerConfig {
  const c = checkShape<ClientWorkerConfig>(
    raw,
    {
      workerId: 'number',
      workers: 'number',
      options: 'object',
      instanceIndex: 'number',
      blockedPorts: 'number[]',
      protocol: 'string',
      protocolOptions: 'object',
    },
    'client worker configuration',
  );
  checkOptions(c.options, clientSpecs, 'client worker options');
  return c;
}

/** One worker's statistics since its previous snapshot. */
export interface ClientDelta extends ClientStatsWire {
  workerId: number;
  /** Gauges at snapshot time. */
  gauges: ClientGauges;
  /** The first detail seen of each refusal cause since the previous snapshot. */
  refusals: Record<string, string>;
  rssBytes: number;
  heapUsedBytes: number;
  /** Requests written and not yet answered nor timed out (the drain at the end waits for them). */
  requestsWaiting: number;
}

/**
 * `talk`: the connections start publishing and requesting; `quiet`: they stop, and stop closing
 * themselves and arriving (the run is ending); `drop`: every connection is dropped at once (--drop-all-at).
 */
export type CoordinatorToWorker = { type: 'snap'; id: number } | { type: 'stop'; id: number } | { type: 'talk' } | { type: 'quiet' } | { type: 'drop' };
export type WorkerToCoordinator =
  | { type: 'beat' }
  | { type: 'ready'; rssBytes: number }
  | { type: 'progress'; gauges: ClientGauges }
  | { type: 'snap'; id: number; delta: ClientDelta }
  | { type: 'stopped'; id: number; delta: ClientDelta };
