import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Gather, Liveness, answerHello, awaitExit, processProgress, unresponsiveText } from '@mdbench/core/internal';
import type { PrimaryToWorker, ServerWorkerConfig, WorkerStats, WorkerToPrimary } from '../worker-config.js';
import { AcceptTurns } from './accept-turns.js';

const WORKER_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'worker', 'main.js');

/** A worker that dies sooner than this after its start counts as crashing in a loop. */
const STABLE_MS = 10_000;
/** Waits before replacing a crashing worker: doubling from the first to the last. */
const RESPAWN_FIRST_MS = 250;
const RESPAWN_MAX_MS = 30_000;

/** How long to wait before replacing a worker that died after `livedMs`, its `crashes` in a row counted before. */
export function respawnDelayMs(livedMs: number, crashes: number): number {
  if (livedMs >= STABLE_MS) return 0;
  return Math.min(RESPAWN_MAX_MS, RESPAWN_FIRST_MS * 2 ** crashes);
}

export interface SupervisorOptions {
  workers: number;
  /** Shared accept socket (the kernel deals) or the primary's round-robin. */
  shared: boolean;
  /** Shared: the most workers accepting at once (0: all). */
  accepting: number;
  execArgv: string[];
  /** NODE_OPTIONS additions, e.g. a heap budget. */
  nodeOptions?: string;
  /** A worker's configuration; `port` is the one every worker listens on (0 until the first has listened). */
  config(workerId: number, port: number): ServerWorkerConfig;
  onStats(workerId: number, stats: WorkerStats): void;
  onGone(workerId: number): void;
  /** A worker exited while the server runs; it is replaced. */
  onRestart(workerId: number, why: string): void;
}

/**
 * The server's worker processes: forks them as cluster workers sharing the listening socket, hands
 * each its configuration, replaces a worker that dies, answers connection listings, and stops them
 * (their last counts first, stragglers killed).
 */
export class Supervisor {
  /** The port the workers listen on (known once the first listened). */
  port = 0;
  /** Why the workers cannot serve (listen failed, hub broke), or null. */
  fatal: string | null = null;
  private readonly options: SupervisorOptions;
  private readonly byId = new Map<number, Worker>();
  private readonly configuredPort: number;
  /** Quick deaths in a row of each worker slot (reset by a worker that lived STABLE_MS). */
  private readonly crashes = new Map<number, number>();
  private readonly respawns = new Set<NodeJS.Timeout>();
  private readonly listings = new Gather<string[]>({ carryLate: false });
  private listening = 0;
  /** Which workers accept from the shared socket (shared scheduling with more workers than AcceptingWorkers); null: all do. */
  private readonly turns: AcceptTurns | null;
  private stopping = false;
  private onListening!: () => void;
  private onFatal: ((why: string) => void) | null = null;
  /** Workers send their counts every second once they listen: one silent for long has a stopped event loop. */
  private readonly liveness = new Liveness(
    () => performance.now(),
    (id) => {
      const pid = this.byId.get(id)?.process.pid;
      return pid === undefined ? undefined : processProgress(pid);
    },
  );
  private readonly livenessTimer: NodeJS.Timeout;

  constructor(o: SupervisorOptions, firstPort: number) {
    this.options = o;
    this.port = firstPort;
    this.configuredPort = firstPort;
    cluster.schedulingPolicy = o.shared ? cluster.SCHED_NONE : cluster.SCHED_RR;
    this.turns =
      o.shared && o.accepting > 0 && o.workers > o.accepting
        ? new AcceptTurns(o.accepting, (id, on) => {
            const w = this.byId.get(id);
            if (w?.isConnected()) w.send({ type: 'accept', on } satisfies PrimaryToWorker);
          })
        : null;
    cluster.setupPrimary({ exec: WORKER_JS, args: [], execArgv: o.execArgv, silent: false });
    this.livenessTimer = setInterval(() => this.checkLiveness(), 1000);
    this.livenessTimer.unref();
  }

  /** A worker whose event loop stopped (a busy loop, SIGSTOP) is named, then replaced: killed, its exit restarts it. */
  private checkLiveness(): void {
    if (this.stopping) return;
    const found = this.liveness.check();
    for (const { workerId, silentS } of found.unresponsive) this.options.onRestart(workerId, unresponsiveText(workerId, silentS));
    for (const { workerId, silentS } of found.givenUp) {
      this.options.onRestart(workerId, `${unresponsiveText(workerId, silentS)}: killing it`);
      this.byId.get(workerId)?.process.kill('SIGKILL');
    }
  }

  /** Forks every worker; resolves once all listen, or with the fatal reason. */
  start(onFatal: (why: string) => void): Promise<void> {
    this.onFatal = onFatal;
    const all = new Promise<void>((r) => (this.onListening = r));
    for (let i = 0; i < this.options.workers; i++) this.fork(i);
    return all;
  }

  private fork(workerId: number): void {
    const env: Record<string, string> = {};
    if (this.options.nodeOptions) env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${this.options.nodeOptions}`.trim();
    const w = cluster.fork(env);
    const bornMs = performance.now();
    this.byId.set(workerId, w);
    // Always the configured port, even 0: the cluster keys the shared socket by the address and
    // port a worker asks for, so a replacement asking for 0 joins the socket the others hold (one
    // asking for the port they got would try to bind it again: EADDRINUSE, and the server stopped).
    const config = this.options.config(workerId, this.configuredPort);
    w.on('message', (msg: WorkerToPrimary | { type: 'hello' }) => {
      if (answerHello(msg, w, () => config)) return;
      if (msg.type !== 'fatal') this.liveness.heard(workerId);
      switch (msg.type) {
        case 'listening':
          this.port = msg.port;
          this.turns?.ready(workerId);
          if (++this.listening === this.options.workers) this.onListening();
          return;
        case 'full':
          return this.turns?.full(workerId);
        case 'room':
          return this.turns?.room(workerId);
        case 'stats':
          return this.options.onStats(workerId, msg.stats);
        case 'connections':
          return this.listings.reply(msg.id, msg.peers);
        case 'fatal':
          this.fatal = msg.message;
          this.onFatal?.(msg.message);
          this.onListening();
      }
    });
    // A message to a worker that has just died fails on its channel: the death is seen by 'exit'.
    w.on('error', () => {});
    w.on('exit', (code, signal) => {
      this.liveness.forget(workerId);
      this.turns?.gone(workerId);
      this.options.onGone(workerId);
      this.listings.targetLost();
      if (this.stopping || this.fatal) return;
      const livedMs = performance.now() - bornMs;
      const crashes = livedMs >= STABLE_MS ? 0 : (this.crashes.get(workerId) ?? 0);
      const delayMs = respawnDelayMs(livedMs, crashes);
      this.crashes.set(workerId, delayMs > 0 ? crashes + 1 : 0);
      this.options.onRestart(workerId, `worker ${workerId} exited (${signal ?? `code ${code}`}); starting a new one${delayMs > 0 ? ` in ${delayMs} ms` : ''}`);
      const t = setTimeout(() => {
        this.respawns.delete(t);
        if (!this.stopping && !this.fatal) this.fork(workerId);
      }, delayMs);
      this.respawns.add(t);
    });
  }

  private live(): Worker[] {
    return [...this.byId.values()].filter((w) => w.isConnected());
  }

  /** Every connection's peer address, from all workers. */
  async connections(timeoutMs = 5000): Promise<string[]> {
    return (await this.listings.request(this.live(), 'connections', timeoutMs)).flat();
  }

  /** Asks each worker to send its last counts and exit; kills those that do not within `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    const all = [...this.byId.values()];
    // Asked once: a second stop (the run's scope, after the summary) only waits for the exits.
    if (!this.stopping) {
      this.stopping = true;
      clearInterval(this.livenessTimer);
      for (const t of this.respawns) clearTimeout(t);
      for (const w of all) if (w.isConnected()) w.send({ type: 'shutdown' });
    }
    await awaitExit(
      all.map((w) => w.process),
      graceMs,
    );
  }

  /** Ends every worker at once (a failed start). */
  kill(): void {
    this.stopping = true;
    clearInterval(this.livenessTimer);
    for (const t of this.respawns) clearTimeout(t);
    for (const w of this.byId.values()) w.process.kill('SIGKILL');
  }
}
