/** What the primary hands each server worker (through the environment, as JSON). */
export interface WorkerConfig {
  workerId: number;
  host: string;
  port: number;
  hubPath: string | null;
  bufferLimitSend: number;
  bufferLimitReceive: number;
  slowConsumer: 'drop' | 'disconnect';
  token?: string;
  testDropEvery: number;
  /** Sockets this worker may hold before it stops accepting (its open-file budget). */
  maxSockets: number;
  testClockOffsetUs: number;
}

export const WORKER_ENV = 'MDBENCH_SERVER_WORKER';

/** Counters a worker sends the primary every second (deltas, except the gauges). */
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
  rejected: number;
  testDropped: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export type WorkerToPrimary =
  | { type: 'listening'; port: number }
  | { type: 'stats'; stats: WorkerStats }
  | { type: 'connections'; id: number; peers: string[] }
  | { type: 'fatal'; code: string; message: string };

export type PrimaryToWorker = { type: 'connections'; id: number } | { type: 'shutdown' };
