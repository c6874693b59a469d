import { checkShape, type Shape } from '@mdbench/core/worker';

/** What the primary hands each server worker, as its first IPC message (checked on arrival). */
export interface ServerWorkerConfig {
  workerId: number;
  host: string;
  port: number;
  /** The primary's hub socket; empty with a single worker (no hub). */
  hubPath: string;
  bufferLimitSend: number;
  bufferLimitReceive: number;
  slowConsumer: 'drop' | 'disconnect';
  token?: string;
  /** Accept permessage-deflate offers. */
  compression: 'none' | 'deflate';
  /** TLS: the certificate chain and key (PEM text, read and checked by the primary), and the CA bundle that client certificates must chain to (mutual TLS). */
  tls?: { cert: string; key: string; ca?: string; ticketKeys: string };
  /** Sockets this worker may hold before it stops accepting (its open-file budget). */
  maxSockets: number;
  testDropEvery: number;
  testClockOffsetUs: number;
  testMaxRate: number;
  testHoldMs: number;
}

const SHAPE: Shape<ServerWorkerConfig> = {
  workerId: 'number',
  host: 'string',
  port: 'number',
  hubPath: 'string',
  bufferLimitSend: 'number',
  bufferLimitReceive: 'number',
  slowConsumer: 'string',
  token: 'string?',
  compression: 'string',
  tls: 'object?',
  maxSockets: 'number',
  testDropEvery: 'number',
  testClockOffsetUs: 'number',
  testMaxRate: 'number',
  testHoldMs: 'number',
};

export function parseServerWorkerConfig(raw: unknown): ServerWorkerConfig {
  return checkShape<ServerWorkerConfig>(raw, SHAPE, 'server worker configuration');
}

/** How often a worker sends the primary its stats. */
export const STATS_MS = 1000;

/** Counters a worker sends the primary every STATS_MS (deltas, except the gauges). */
export interface WorkerStats {
  connections: number;
  subscriptions: number;
  subjects: number;
  messagesIn: number;
  messagesOut: number;
  bytesOut: number;
  slowDrops: number;
  slowDisconnects: number;
  malformed: number;
  oversized: number;
  /** Upgrades refused: wrong token (401), not a valid upgrade (400/426/431). */
  rejected: number;
  badUpgrades: number;
  testDropped: number;
  /** Messages waiting behind --test-max-rate. */
  queued: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** Stats fields that are gauges (the latest value counts), not deltas. */
export const GAUGE_FIELDS = new Set<keyof WorkerStats>(['connections', 'subscriptions', 'subjects', 'queued', 'rssBytes', 'heapUsedBytes']);

export function emptyWorkerStats(): WorkerStats {
  return {
    connections: 0,
    subscriptions: 0,
    subjects: 0,
    messagesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
    slowDrops: 0,
    slowDisconnects: 0,
    malformed: 0,
    oversized: 0,
    rejected: 0,
    badUpgrades: 0,
    testDropped: 0,
    queued: 0,
    rssBytes: 0,
    heapUsedBytes: 0,
  };
}

export type WorkerToPrimary =
  | { type: 'listening'; port: number }
  | { type: 'stats'; stats: WorkerStats }
  | { type: 'connections'; id: number; peers: string[] }
  | { type: 'fatal'; code: string; message: string };

export type PrimaryToWorker = { type: 'connections'; id: number } | { type: 'shutdown' };
