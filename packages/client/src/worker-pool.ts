import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gather, Liveness, awaitExit, emptyGauges, forkWorker, processProgress, sumGauges, unresponsiveText, type ClientGauges } from '@mdbench/core/internal';
import type { ClientDelta, ClientWorkerConfig, WorkerToCoordinator } from './worker-config.js';
import { workerShareOf } from './connection-plan.js';

/** While stopping, a worker silent this long is not waited for. */
const STOP_SILENT_MS = 3000;

const WORKER_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker', 'main.js');

/**
 * The client's worker processes: forks them, keeps their latest gauges, and pulls their statistics
 * deltas. A reply that misses a pull's deadline is kept for the next pull, never dropped.
 */
export class WorkerPool {
  private readonly children: ChildProcess[] = [];
  /** Index in `children` of each worker id. */
  private readonly workerIndex = new Map<number, number>();
  private readonly gauges = new Map<number, ClientGauges>();
  private readonly gather = new Gather<ClientDelta>({ carryLate: true });
  private readyCount = 0;
  private readonly allReady: Promise<void>;
  /** Summed RSS of the workers when they started, before any connection. */
  rssStartBytes = 0;
  /** Set when a worker died during the run. */
  lost: string | null = null;
  private stopping = false;
  /** Workers beat every second; one silent for long has a stopped event loop. */
  private readonly liveness = new Liveness(
    () => performance.now(),
    (id) => {
      const pid = this.children[this.workerIndex.get(id) ?? -1]?.pid;
      return pid === undefined ? undefined : processProgress(pid);
    },
  );
  private readonly livenessTimer: NodeJS.Timeout;

  /** `script` is the worker module (tests pass a stand-in). */
  constructor(configs: ClientWorkerConfig[], execArgv: string[], env: NodeJS.ProcessEnv, onLost: (why: string) => void, script = WORKER_JS) {
    let ready!: () => void;
    this.allReady = new Promise((r) => (ready = r));
    this.livenessTimer = setInterval(() => this.checkLiveness(onLost), 1000);
    this.livenessTimer.unref();
    for (const wc of configs) {
      const k = wc.workerId;
      const child = forkWorker(script, wc, { execArgv, env });
      this.workerIndex.set(k, this.children.length);
      this.children.push(child);
      this.gauges.set(k, emptyGauges(workerShareOf(wc.options, wc.instanceIndex, wc.workers, k).count));
      child.on('message', (msg: WorkerToCoordinator | { type: 'hello' }) => {
        if (msg.type === 'hello') return;
        this.liveness.heard(k);
        if (msg.type === 'beat') return;
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
        this.liveness.forget(k);
        if (this.stopping || this.unresponsive.has(k)) return;
        this.lost = `worker ${k} exited (${signal ?? `code ${code}`})`;
        onLost(this.lost);
        this.gather.targetLost();
        if (++this.readyCount === configs.length) ready();
      });
    }
  }

  private readonly unresponsive = new Set<number>();

  /**
   * A worker whose event loop stopped is named; given up, its connections are counted as down (its
   * planned ones stay planned, none open) and it is killed: the run goes on without it, not ok.
   */
  private checkLiveness(onLost: (why: string) => void): void {
    const found = this.liveness.check();
    for (const { workerId, silentS } of found.unresponsive) onLost(unresponsiveText(workerId, silentS));
    // Once stopping, a worker silent for a few beats is not waited for: its last report is lost, the rest is printed.
    const giveUp = this.stopping
      ? [...this.workerIndex.keys()]
          .filter((id) => !this.unresponsive.has(id) && this.liveness.silentMs(id) >= STOP_SILENT_MS)
          .map((id) => ({ workerId: id, silentS: Math.round(this.liveness.silentMs(id) / 1000) }))
      : found.givenUp;
    for (const { workerId, silentS } of giveUp) {
      const child = this.children[this.workerIndex.get(workerId) ?? -1];
      if (!child) continue;
      this.unresponsive.add(workerId);
      this.lost = `${unresponsiveText(workerId, silentS)}; its connections are counted as down`;
      onLost(this.lost);
      const g = this.gauges.get(workerId);
      this.gauges.set(workerId, emptyGauges(g?.planned ?? 0));
      this.gather.targetLost();
      child.kill('SIGKILL');
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
  pull(type: 'snap' | 'stop', timeoutMs: number): Promise<ClientDelta[]> {
    if (type === 'stop') this.stopping = true;
    return this.gather.request(
      [...this.workerIndex]
        .filter(([id]) => !this.unresponsive.has(id))
        .map(([, at]) => this.children[at])
        .filter((c) => c.connected),
      type,
      timeoutMs,
    );
  }

  /** Tells every live worker something that needs no answer (`talk`, `quiet`, `drop`); a worker gone meanwhile is skipped. */
  tell(type: 'talk' | 'quiet' | 'drop'): void {
    for (const [id, at] of this.workerIndex) {
      const child = this.children[at];
      if (this.unresponsive.has(id) || !child.connected) continue;
      child.send({ type }, (err) => void err);
    }
  }

  /** Waits for the workers to exit after `stop` (they do once their report is sent); kills stragglers. */
  exited(graceMs: number): Promise<void> {
    clearInterval(this.livenessTimer);
    return awaitExit(this.children, graceMs);
  }
}
