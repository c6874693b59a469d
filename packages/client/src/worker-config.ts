import { checkShape, type ClientTlsOptions, type DeflateOffer, type ProtocolOptions, type Shape } from '@mdbench/core/worker';
import type { ClientGauges, ClientStatsWire, PortRange } from '@mdbench/core';

/** Everything a client worker needs, sent as its first IPC message and checked on arrival. */
export interface ClientWorkerConfig {
  workerId: number;
  /** First connection index of this worker within the fleet, and how many it opens. */
  from: number;
  count: number;
  /** Connection index of this instance's first connection in the fleet (for the address plan). */
  instanceFrom: number;
  instance: number;
  localAddresses: string[];
  localPorts: PortRange;
  excludePorts: number[];
  instanceClients: number;
  servers: { host: string; port: number; path: string; tls: boolean }[];
  /** TLS settings of wss:// servers (files are read again by the worker; checked by the coordinator first). */
  tls: ClientTlsOptions;
  /** permessage-deflate offered, or none. */
  deflate?: DeflateOffer;
  subjects: string;
  subjectsPerClient: number;
  oneToOne: boolean;
  seed: number;
  connectRate: number;
  maxPending: number;
  handshakeTimeoutMs: number;
  bufferSize: number;
  latencyFrom: 'scheduled' | 'sent';
  /** --warmup: seconds from the worker's first message whose latencies are not measured. */
  warmupS: number;
  mask: 'random' | 'zero';
  token?: string;
  reconnect: boolean;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** A built-in protocol's name or a plug-in's absolute path, and its settings. */
  protocol: string;
  protocolOptions: ProtocolOptions;
  clientIdPrefix: string;
}

const SHAPE: Shape<ClientWorkerConfig> = {
  workerId: 'number',
  from: 'number',
  count: 'number',
  instanceFrom: 'number',
  instance: 'number',
  localAddresses: 'string[]',
  localPorts: 'object',
  excludePorts: 'number[]',
  instanceClients: 'number',
  servers: 'object[]',
  tls: 'object',
  deflate: 'object?',
  subjects: 'string',
  subjectsPerClient: 'number',
  oneToOne: 'boolean',
  seed: 'number',
  connectRate: 'number',
  maxPending: 'number',
  handshakeTimeoutMs: 'number',
  bufferSize: 'number',
  latencyFrom: 'string',
  warmupS: 'number',
  mask: 'string',
  token: 'string?',
  reconnect: 'boolean',
  reconnectMinMs: 'number',
  reconnectMaxMs: 'number',
  protocol: 'string',
  protocolOptions: 'object',
  clientIdPrefix: 'string',
};

/** The worker's configuration, checked field by field. */
export function parseClientWorkerConfig(raw: unknown): ClientWorkerConfig {
  const c = checkShape<ClientWorkerConfig>(raw, SHAPE, 'client worker configuration');
  checkShape(c.localPorts, { from: 'number', to: 'number' }, 'client worker configuration localPorts');
  for (const s of c.servers) checkShape(s, { host: 'string', port: 'number', path: 'string', tls: 'boolean' }, 'client worker configuration server');
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
}

export type CoordinatorToWorker = { type: 'snap'; id: number } | { type: 'stop'; id: number };
export type WorkerToCoordinator =
  | { type: 'beat' }
  | { type: 'ready'; rssBytes: number }
  | { type: 'progress'; gauges: ClientGauges }
  | { type: 'snap'; id: number; delta: ClientDelta }
  | { type: 'stopped'; id: number; delta: ClientDelta };
