import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sumGauges, type Gauges } from './client-report.js';
import { CLIENT_WORKER_ENV, type ClientDelta, type ClientWorkerConfig, type CoordinatorToWorker, type WorkerToCoordinator } from './worker-protocol.js';

const WORKER_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

interface Pending {
  left: number;
  deltas: ClientDelta[];
  done: (d: ClientDelta[]) => void;
}

/**
 * The client's worker processes: forks them, keeps their latest gauges, and pulls their statistics
 * deltas. A reply that misses a pull's deadline is kept for the next pull, never dropped.
 */
export class WorkerPool {
  private readonly children: ChildProcess[] = [];
  private readonly gauges = new Map<number, Gauges>();
  private readonly replies = new Map<number, Pending>();
  private readonly late: ClientDelta[] = [];
  private requestId = 0;
  /** Summed RSS of the workers when they started, before any connection. */
  rssStartBytes = 0;
  /** Set when a worker died during the run. */
  lost: string | null = null;
  private stopping = false;

  /** `script` is the worker module (tests pass a stand-in). */
  constructor(configs: ClientWorkerConfig[], execArgv: string[], env: NodeJS.ProcessEnv, onLost: (why: string) => void, script = WORKER_JS) {
    for (const wc of configs) {
      const k = wc.workerId;
      const child = fork(script, [], { env: { ...env, [CLIENT_WORKER_ENV]: JSON.stringify(wc) }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.children.push(child);
      this.gauges.set(k, { open: 0, subscribed: 0, connecting: 0, reconnecting: 0, planned: wc.count, failed: 0, firstConnectMs: 0, lastOpenMs: 0, lastSubscribedMs: 0 });
      child.on('message', (msg: WorkerToCoordinator) => this.onMessage(k, msg));
      child.on('exit', (code, signal) => {
        if (this.stopping) return;
        this.lost = `worker ${k} exited (${signal ?? `code ${code}`})`;
        onLost(this.lost);
        for (const [id, r] of this.replies) if (--r.left === 0) (this.replies.delete(id), r.done(r.deltas));
      });
    }
  }

  private onMessage(k: number, msg: WorkerToCoordinator): void {
    if (msg.type === 'ready') this.rssStartBytes += msg.rssBytes;
    else if (msg.type === 'progress') this.gauges.set(k, msg.gauges);
    else {
      this.gauges.set(k, msg.delta.gauges);
      const r = this.replies.get(msg.id);
      if (!r) return;
      r.deltas.push(msg.delta);
      if (--r.left === 0) {
        this.replies.delete(msg.id);
        r.done(r.deltas);
      }
    }
  }

  /** The workers' gauges summed, as last reported. */
  totals(): Gauges {
    return sumGauges(this.gauges.values());
  }

  get size(): number {
    return this.children.length;
  }

  /** Asks every live worker for its delta (`stop` also ends it); late replies come with the next pull. */
  pull(type: CoordinatorToWorker['type'], timeoutMs: number): Promise<ClientDelta[]> {
    if (type === 'stop') this.stopping = true;
    const earlier = this.late.splice(0, this.late.length);
    return new Promise((resolve) => {
      const id = ++this.requestId;
      const live = this.children.filter((c) => c.connected);
      if (live.length === 0) return resolve(earlier);
      let settled = false;
      const entry: Pending = {
        left: live.length,
        deltas: earlier,
        done: (d) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(d);
        },
      };
      const timer = setTimeout(() => {
        settled = true;
        resolve(entry.deltas);
        // Whatever still arrives for this pull goes to the next one.
        entry.deltas = this.late;
        entry.done = () => this.replies.delete(id);
      }, timeoutMs);
      this.replies.set(id, entry);
      for (const c of live) c.send({ type, id });
    });
  }

  /** Waits for the workers to exit after `stop` (they do once their report is sent); kills stragglers. */
  async exited(graceMs: number): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => (c.kill('SIGKILL'), resolve()), graceMs);
            c.once('exit', () => (clearTimeout(t), resolve()));
          }),
      ),
    );
  }
}
