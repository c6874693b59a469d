import { checkShape } from '@mdbench/core/worker';
import { checkOptions } from '@mdbench/core/options';
import { serverSpecs, type ServerConfig } from './options.js';

/**
 * What the primary hands each server worker, as its first IPC message (checked on arrival): the
 * run's resolved options whole, and what only the primary has. A worker-side option is a row of
 * the option table and the code that reads it; nothing here.
 */
export interface ServerWorkerConfig {
  workerId: number;
  options: ServerConfig;
  /** Where to listen: the address of --listen, and the port (the one the first worker got, when --listen asked for 0). */
  host: string;
  port: number;
  /** The primary's hub socket; empty with a single worker (no hub). */
  hubPath: string;
  /** TLS: the certificate chain and key (PEM text, read and checked by the primary), and the CA bundle that client certificates must chain to (mutual TLS). */
  tls?: { cert: string; key: string; ca?: string; ticketKeys: string };
  /** Sockets this worker may hold before it stops accepting (its open-file budget). */
  maxSockets: number;
}

export function parseServerWorkerConfig(raw: unknown): ServerWorkerConfig {
  const c = checkShape<ServerWorkerConfig>(
    raw,
    { workerId: 'number', options: 'object', host: 'string', port: 'number', hubPath: 'string', tls: 'object?', maxSockets: 'number' },
    'server worker configuration',
  );
  checkOptions(c.options, serverSpecs, 'server worker options');
  return c;
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
  /** Requests answered (the native REQUEST, mdbench-client --request-rate). */
  requests: number;
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
    requests: 0,
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
  /** Full: stopped accepting (its turn goes to another); room: below 95% again, ready for a turn. */
  | { type: 'full' }
  | { type: 'room' }
  | { type: 'fatal'; code: string; message: string };

export type PrimaryToWorker = { type: 'connections'; id: number } | { type: 'shutdown' } | { type: 'accept'; on: boolean };
