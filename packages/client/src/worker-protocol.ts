import type { Counters, LatencyWire, PortRange } from '@mdbench/core';

/** Everything a client worker needs, handed over in the environment as JSON. */
export interface ClientWorkerConfig {
  workerId: number;
  /** First connection index of this worker within the fleet, and how many it opens. */
  from: number;
  count: number;
  /** Connection index of this instance's first connection in the fleet (for the address plan). */
  instanceFrom: number;
  localAddresses: string[];
  localPorts: PortRange;
  excludePorts: number[];
  instanceClients: number;
  servers: { host: string; port: number; path: string }[];
  subjects: string;
  subjectsPerClient: number;
  oneToOne: boolean;
  seed: number;
  connectRate: number;
  maxPending: number;
  handshakeTimeoutMs: number;
  bufferSize: number;
  latencyFrom: 'scheduled' | 'sent';
  mask: 'random' | 'zero';
  token?: string;
  reconnect: boolean;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

export const CLIENT_WORKER_ENV = 'MDBENCH_CLIENT_WORKER';

/** One worker's statistics since its previous snapshot. */
export interface ClientDelta {
  workerId: number;
  /** Latency by the chosen stamp (scheduled by default). */
  latency: LatencyWire;
  /** Latency by the other stamp. */
  latencyOther: LatencyWire;
  /** Additive counts: messages, bytes, gaps, duplicates, outOfOrder, malformed, connect errors by cause... */
  counters: Counters;
  /** Connection errors by cause, additive. */
  errors: Counters;
  /** Gauges at snapshot time. */
  gauges: { open: number; subscribed: number; connecting: number; reconnecting: number; planned: number; failed: number; firstConnectMs: number; lastOpenMs: number; lastSubscribedMs: number };
  /** Event-loop delay over the interval, ms. */
  loopDelay: { p99Ms: number; maxMs: number };
  rssBytes: number;
  heapUsedBytes: number;
}

export type CoordinatorToWorker = { type: 'snap'; id: number } | { type: 'stop'; id: number };
export type WorkerToCoordinator =
  | { type: 'ready'; rssBytes: number }
  | { type: 'progress'; gauges: ClientDelta['gauges'] }
  | { type: 'snap'; id: number; delta: ClientDelta }
  | { type: 'stopped'; id: number; delta: ClientDelta };
