import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  BASE_FDS,
  ExitCode,
  JsonLinesWriter,
  JSON_LINES_VERSION,
  MdbenchError,
  StopController,
  checkListenBacklog,
  checkSocketPlan,
  readHostFacts,
  type CommandContext,
} from '@mdbench/core';
import { Hub } from './hub.js';
import { parseHostPort, type ServerConfig } from './options.js';
import { ServerTotals, serverBlock } from './server-stats.js';
import { WORKER_ENV, type WorkerConfig, type WorkerToPrimary } from './worker-config.js';

const WORKER_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

/** Sockets one worker may hold: its open-file limit less what Node itself needs. */
export function socketsPerWorker(nofileHard: number | undefined): number {
  return Math.max(1, (nofileHard ?? 1_048_576) - BASE_FDS - 256);
}

/**
 * Worker count: one per core, raised so that each worker stays under the open-file limit; with a
 * shared accept socket the kernel deals unevenly (about +/-15% measured), so 30% is kept spare.
 */
export function chooseServerWorkers(explicit: number | undefined, expect: number, nofileHard: number | undefined, shared: boolean): number {
  if (explicit) return explicit;
  const usable = socketsPerWorker(nofileHard) * (shared ? 0.7 : 1);
  return Math.max(os.availableParallelism(), Math.ceil(expect / usable));
}

function addressError(key: string, value: string): MdbenchError {
  return new MdbenchError('MDB_CONFIG_VALUE', `"${value}" is not HOST:PORT`, { location: { file: 'configuration', key } });
}

/** Runs the reference server: forks workers, links them through the hub, reports, and stops cleanly. */
export async function runServer(cfg: ServerConfig, ctx: CommandContext, version: string): Promise<number> {
  const listen = parseHostPort(cfg.listen);
  if (!listen) throw addressError('Listen', cfg.listen);
  const monitorAt = cfg.monitor === 'none' ? undefined : parseHostPort(cfg.monitorListen);
  if (cfg.monitor !== 'none' && !monitorAt) throw addressError('MonitorHTTP.Listen', cfg.monitorListen);
  if (cfg.pubSubTightlyCoupled) throw new MdbenchError('MDB_CONFIG_VALUE', 'true is not supported: the reference server does not notify publishers of subscriptions', { location: { file: 'configuration', key: 'PubSubTightlyCoupled' } });

  const facts = readHostFacts();
  const shared = cfg.scheduling === 'shared';
  const workers = chooseServerWorkers(cfg.workers, cfg.expectConnections, facts.nofile?.hard, shared);
  const findings = [
    ...checkSocketPlan({ socketsPerProcess: Math.ceil(cfg.expectConnections / workers), socketsTotal: cfg.expectConnections, processes: workers, processFlag: '--workers' }, facts),
    ...checkListenBacklog(Math.min(65535, Math.max(1024, cfg.expectConnections)), facts),
  ];
  for (const f of findings) {
    if (f.level === 'error') throw new MdbenchError('MDB_PREFLIGHT', f.message, { exitCode: ExitCode.PREFLIGHT, hint: f.fix });
    ctx.warn(`${f.message}${f.fix ? `; fix: ${f.fix}` : ''}`);
  }

  const hub = workers > 1 ? new Hub(path.join(os.tmpdir(), `mdbench-hub-${process.pid}.sock`)) : null;
  await hub?.listen();
  const totals = new ServerTotals();
  const json = cfg.json ? new JsonLinesWriter(cfg.json) : null;
  const stopper = new StopController(ctx.io, cfg.duration);
  const pendingConnections = new Map<number, { left: number; peers: string[]; done: (p: string[]) => void }>();
  let requestId = 0;
  let stopping = false;
  let fatal: string | null = null;

  // MDBENCH_WORKER_NODE_ARGS passes extra node flags to the workers (e.g. --cpu-prof for profiling).
  const execArgv = ctx.io.env.MDBENCH_WORKER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  cluster.schedulingPolicy = shared ? cluster.SCHED_NONE : cluster.SCHED_RR;
  cluster.setupPrimary({ exec: WORKER_JS, args: [], execArgv, silent: false });
  const base: Omit<WorkerConfig, 'workerId'> = {
    host: listen.host,
    port: listen.port,
    hubPath: hub?.path ?? null,
    bufferLimitSend: cfg.bufferLimitSend,
    bufferLimitReceive: cfg.bufferLimitReceive,
    slowConsumer: cfg.slowConsumer,
    token: cfg.token,
    testDropEvery: cfg.testDropEvery,
    testClockOffsetUs: cfg.testClockOffsetMs * 1000,
    maxSockets: Math.min(cfg.maxSocketsPerWorker ?? Infinity, socketsPerWorker(facts.nofile?.hard)),
  };
  const heapMb = cfg.memory ? Math.max(64, Math.floor(cfg.memory / workers)) : undefined;
  const byId = new Map<number, Worker>();
  let port = listen.port;
  let listening = 0;
  let resolveListening!: () => void;
  const allListening = new Promise<void>((r) => (resolveListening = r));

  const fork = (workerId: number) => {
    const env: Record<string, string> = { [WORKER_ENV]: JSON.stringify({ ...base, port, workerId }) };
    if (heapMb) env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heapMb}`.trim();
    const w = cluster.fork(env);
    byId.set(workerId, w);
    w.on('message', (msg: WorkerToPrimary) => {
      switch (msg.type) {
        case 'listening':
          port = msg.port;
          if (++listening === workers) resolveListening();
          return;
        case 'stats':
          totals.add(workerId, msg.stats);
          return;
        case 'connections': {
          const p = pendingConnections.get(msg.id);
          if (!p) return;
          p.peers.push(...msg.peers);
          if (--p.left === 0) {
            pendingConnections.delete(msg.id);
            p.done(p.peers);
          }
          return;
        }
        case 'fatal':
          fatal = msg.message;
          stopper.stop('failed');
          resolveListening();
      }
    });
    w.on('exit', (code, signal) => {
      totals.forget(workerId);
      if (stopping || fatal) return;
      ctx.log.warn(`worker ${workerId} exited (${signal ?? `code ${code}`}); starting a new one`);
      fork(workerId);
    });
  };
  for (let i = 0; i < workers; i++) fork(i);
  await allListening;
  if (fatal) {
    stopping = true;
    for (const w of byId.values()) w.process.kill('SIGKILL');
    hub?.close();
    throw new MdbenchError('MDB_LISTEN', fatal, { exitCode: ExitCode.PREFLIGHT });
  }

  const connectionsList = () =>
    new Promise<string[]>((resolve) => {
      const id = ++requestId;
      const live = [...byId.values()].filter((w) => w.isConnected());
      if (live.length === 0) return resolve([]);
      pendingConnections.set(id, { left: live.length, peers: [], done: resolve });
      for (const w of live) w.send({ type: 'connections', id });
    });

  let monitor: http.Server | null = null;
  if (monitorAt) {
    monitor = http.createServer((req, res) => {
      const reply = (body: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/stats') reply({ ...totals.snapshot(), hubForwarded: hub?.forwarded ?? 0, port });
      else if (req.url === '/connections') void connectionsList().then((peers) => reply({ count: peers.length, peers }));
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      monitor?.once('error', (err) => reject(new MdbenchError('MDB_LISTEN', `cannot start the monitor on ${cfg.monitorListen}: ${(err as NodeJS.ErrnoException).code}`, { exitCode: ExitCode.PREFLIGHT })));
      monitor?.listen(monitorAt.port, monitorAt.host, () => resolve());
    });
  }

  const startMs = performance.now();
  const monitorPort = monitor ? (monitor.address() as { port: number }).port : 0;
  ctx.log.info('Listening', `${listen.host}:${port} (${workers} worker${workers > 1 ? 's' : ''}, mdbench-server ${version})`);
  if (monitor) ctx.log.info('Monitor', `http://${monitorAt?.host}:${monitorPort}/stats`);

  let lastMs = startMs;
  const report = (kind: 'interval' | 'summary') => {
    const now = performance.now();
    const interval = totals.takeInterval();
    const seconds = kind === 'summary' ? (now - startMs) / 1000 : (now - lastMs) / 1000;
    lastMs = now;
    const shown = kind === 'summary' ? totals.total : interval;
    ctx.log.block(serverBlock(totals, (now - startMs) / 1000, shown, seconds));
    json?.write({ type: kind, v: JSON_LINES_VERSION, tool: 'mdbench-server', version, ts: new Date().toISOString(), seconds, ...totals.snapshot(), interval });
  };
  const timer = setInterval(() => report('interval'), cfg.interval * 1000);

  const reason = await stopper.promise;
  clearInterval(timer);
  stopping = true;
  // Ask every worker for its last second of counts, then report the whole run.
  await Promise.all(
    [...byId.values()].map(
      (w) =>
        new Promise<void>((resolve) => {
          if (!w.isConnected()) return resolve();
          const t = setTimeout(() => {
            w.process.kill('SIGKILL');
            resolve();
          }, 2000);
          w.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          w.send({ type: 'shutdown' });
        }),
    ),
  );
  ctx.log.info('Stopped', reason === 'duration' ? 'duration reached' : reason);
  report('summary');
  json?.close();
  monitor?.close();
  hub?.close();
  stopper.dispose();
  if (fatal) {
    ctx.log.error(fatal);
    return ExitCode.RUN_ERRORS;
  }
  return ExitCode.OK;
}
