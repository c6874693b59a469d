import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gather, awaitExit, emptyGauges, forkWorker, sumGauges, type ClientGauges } from '@mdbench/core';
import type { ClientDelta, ClientWorkerConfig, CoordinatorToWorker, WorkerToCoordinator } from './worker-config.js';

const WORKER_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker', 'main.js');

/**
 * The client's worker processes: forks them, keeps their latest gauges, and pulls their statistics
 * deltas. A reply that misses a pull's deadline is kept for the next pull, never dropped.
 */
export class WorkerPool {
  private readonly children: ChildProcess[] = [];
  private readonly gauges = new Map<number, ClientGauges>();
  private readonly gather = new Gather<ClientDelta>({ carryLate: true });
  private readyCount = 0;
  private readonly allReady: Promise<void>;
  /** Summed RSS of the workers when they started, before any connection. */
  rssStartBytes = 0;
  /** Set when a worker died during the run. */
  lost: string | null = null;
  private stopping = false;

  /** `script` is the worker module (tests pass a stand-in). */
  constructor(configs: ClientWorkerConfig[], execArgv: string[], env: NodeJS.ProcessEnv, onLost: (why: string) => void, script = WORKER_JS) {
    let ready!: () => void;
    this.allReady = new Promise((r) => (ready = r));
    for (const wc of configs) {
      const k = wc.workerId;
      const child = forkWorker(script, wc, { execArgv, env });
      this.children.push(child);
      this.gauges.set(k, emptyGauges(wc.count));
      child.on('message', (msg: WorkerToCoordinator | { type: 'hello' }) => {
        if (msg.type === 'hello') return;
        if (msg.type === 'ready') {
          this.rssStartBytes += msg.rssBytes;
          if (++this.readyCount === configs.length) ready();
        } else if (msg.type === 'progress') this.gauges.set(k, msg.gauges);
        else {
          this.gauges.set(k, msg.delta.gauges);
          this.gather.reply(msg.id, msg.delta);
        }
      });
      child.on('exit', (code, signal) => {
        if (this.stopping) return;
        this.lost = `worker ${k} exited (${signal ?? `code ${code}`})`;
        onLost(this.lost);
        this.gather.targetLost();
        if (++this.readyCount === configs.length) ready();
      });
    }
  }

  /** Resolves once every worker has loaded its protocol and is about to connect (or died). */
  ready(): Promise<void> {
    return this.allReady;
  }

  /** The workers' gauges summed, as last reported. */
  totals(): ClientGauges {
    return sumGauges(this.gauges.values());
  }

  get size(): number {
    return this.children.length;
  }

  /** Asks every live worker for its delta (`stop` also ends it); late replies come with the next pull. */
  pull(type: CoordinatorToWorker['type'], timeoutMs: number): Promise<ClientDelta[]> {
    if (type === 'stop') this.stopping = true;
    return this.gather.request(
      this.children.filter((c) => c.connected),
      type,
      timeoutMs,
    );
  }

  /** Waits for the workers to exit after `stop` (they do once their report is sent); kills stragglers. */
  exited(graceMs: number): Promise<void> {
    return awaitExit(this.children, graceMs);
  }
}
