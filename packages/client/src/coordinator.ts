import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AddressPlan,
  BASE_FDS,
  ExitCode,
  HlogWriter,
  JSON_LINES_VERSION,
  JsonLinesWriter,
  measureClockOffset,
  resolveInstance,
  MdbenchError,
  NATIVE_SUBPROTOCOL,
  StopController,
  SubjectPlan,
  checkSocketPlan,
  compilePatternList,
  formatFixed,
  formatInt,
  parseServerAddress,
  probeServer,
  readHostFacts,
  slicePart,
  toArray,
  type CommandContext,
  type ServerAddress,
} from '@mdbench/core';
import { RunStats } from './run-stats.js';
import { SATURATION_P99_MS, clientBlock, sumGauges, type Gauges } from './client-report.js';
import type { ClientConfig } from './options.js';
import { CLIENT_WORKER_ENV, type ClientDelta, type ClientWorkerConfig, type CoordinatorToWorker, type WorkerToCoordinator } from './worker-protocol.js';
import { startSpinner } from './spinner.js';

/** A clock offset against the server beyond this (µs) gets a warning. */
export const CLOCK_WARN_US = 1000;

const WORKER_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

function configError(key: string, err: unknown): MdbenchError {
  return new MdbenchError('MDB_CONFIG_VALUE', (err as Error).message, { location: { file: 'configuration', key } });
}

/** Worker count: at least one per core, and enough that no worker passes the open-file limit. */
export function chooseClientWorkers(explicit: number | undefined, clients: number, nofileHard: number | undefined): number {
  if (explicit) return explicit;
  const perProc = Math.max(1, (nofileHard ?? 1_048_576) - BASE_FDS - 64);
  return Math.min(clients, Math.max(os.availableParallelism(), Math.ceil(clients / perProc)));
}

interface Plan {
  servers: ServerAddress[];
  addresses: string[];
  addressPlan: AddressPlan;
}

/** Expands and checks everything before a socket is opened; every problem names its key. */
export function buildClientPlan(cfg: ClientConfig): Plan {
  let servers: ServerAddress[];
  try {
    servers = toArray(compilePatternList(cfg.serverAddresses), 10_000).map(parseServerAddress);
  } catch (err) {
    throw configError('ServerAddresses', err);
  }
  let addresses: string[] = [];
  if (cfg.localAddresses) {
    try {
      addresses = toArray(compilePatternList(cfg.localAddresses), 100_000);
    } catch (err) {
      throw configError('LocalAddresses', err);
    }
  }
  let subjects;
  try {
    subjects = compilePatternList(cfg.subjects);
    new SubjectPlan({ subjects, perClient: cfg.subjectsPerClient, oneToOne: cfg.oneToOne, seed: cfg.seed });
  } catch (err) {
    throw configError('Subjects', err);
  }
  const addressPlan = new AddressPlan({ localAddresses: addresses, ports: cfg.localPorts, excludePorts: servers.map((s) => s.port), clients: cfg.clients });
  addressPlan.assertFits('configuration');
  return { servers, addresses, addressPlan };
}

/** Runs the subscriber fleet: plan, pre-flight, probe, workers, merged reports, final summary. */
export async function runClient(cfg: ClientConfig, ctx: CommandContext, version: string): Promise<number> {
  const plan = buildClientPlan(cfg);
  const facts = readHostFacts();
  const workers = chooseClientWorkers(cfg.workers, cfg.clients, facts.nofile?.hard);
  const findings = checkSocketPlan(
    {
      socketsPerProcess: Math.ceil(cfg.clients / workers),
      socketsTotal: cfg.clients,
      processes: workers,
      processFlag: '--workers',
      localAddresses: plan.addresses,
      localPorts: plan.addresses.length ? cfg.localPorts : undefined,
    },
    facts,
  );
  for (const f of findings) {
    if (f.level === 'error') throw new MdbenchError('MDB_PREFLIGHT', f.message, { exitCode: ExitCode.PREFLIGHT, hint: f.fix });
    ctx.warn(`${f.message}; fix: ${f.fix}`);
  }
  const headers = cfg.token ? { Authorization: `Bearer ${cfg.token}` } : undefined;
  for (const s of plan.servers.slice(0, 16)) {
    const r = await probeServer(s, { path: s.path, subprotocol: NATIVE_SUBPROTOCOL, headers, timeoutMs: cfg.handshakeTimeout * 1000 });
    if (!r.ok) {
      throw new MdbenchError('MDB_UNREACHABLE', `cannot reach server ${s.text}: ${r.cause}${r.detail && r.detail !== r.cause ? ` (${r.detail})` : ''}`, {
        exitCode: ExitCode.UNREACHABLE,
        hint: 'start the server first (mdbench-server --listen HOST:PORT) or fix ServerAddresses',
      });
    }
  }

  const inst = resolveInstance(cfg.instance, cfg.instances, ctx.io.env);
  // One-to-one numbering runs over the whole fleet: instance k opens connections k*Clients.. (the article's manual split).
  const instanceFrom = inst.index * cfg.clients;
  const clock = cfg.clockSamples > 0 ? await measureClockOffset(plan.servers[0], { samples: cfg.clockSamples, subprotocol: NATIVE_SUBPROTOCOL, headers, timeoutMs: 5000 }) : undefined;
  const digest = createHash('sha256').update(JSON.stringify(ctx.config)).digest('hex').slice(0, 12);
  const json = cfg.json ? new JsonLinesWriter(cfg.json) : null;
  const header = {
    v: JSON_LINES_VERSION,
    tool: 'mdbench-client',
    version,
    host: os.hostname(),
    pid: process.pid,
    instance: inst.index + 1,
    instances: inst.count,
    processes: workers,
    configDigest: digest,
    clockOffsetUs: clock?.offsetUs ?? null,
    clockRttUs: clock?.rttUs ?? null,
  };
  const hlog = cfg.hlog ? new HlogWriter(cfg.hlog, Date.now(), `mdbench-client ${version} instance ${inst.index + 1}/${inst.count} on ${os.hostname()}, latency in us`) : null;
  if (inst.count > 1) ctx.log.info('Instance', `${inst.index + 1} of ${inst.count}: fleet connections ${formatInt(instanceFrom + 1)}..${formatInt(instanceFrom + cfg.clients)}`);
  if (clock) ctx.log.info('Clock offset', `${clock.offsetUs >= 0 ? '+' : ''}${formatFixed(clock.offsetUs / 1000, 3)} ms against ${plan.servers[0].text} (round trip ${formatFixed(clock.rttUs / 1000, 3)} ms, best of ${clock.samples})`);
  if (clock && Math.abs(clock.offsetUs) > CLOCK_WARN_US) {
    ctx.log.warn(`this host's clock is ${formatFixed(clock.offsetUs / 1000, 1)} ms off the server's: latencies across hosts are shifted by about that much (synchronise with NTP/PTP)`);
  }
  ctx.log.info('Plan', plan.addressPlan.describe());
  ctx.log.info('Workers', `${workers} processes, ${formatInt(Math.ceil(cfg.clients / workers))} connections each at most, ${formatInt(cfg.connectRate)} connections/s`);

  const children: ChildProcess[] = [];
  const gauges = new Map<number, Gauges>();
  const replies = new Map<number, { left: number; deltas: ClientDelta[]; done: (d: ClientDelta[]) => void }>();
  let requestId = 0;
  let rssStartBytes = 0;
  const heapMb = cfg.memory ? Math.max(64, Math.floor(cfg.memory / workers)) : undefined;
  const stopper = new StopController(ctx.io, cfg.duration);
  let workerLost: string | null = null;

  for (let k = 0; k < workers; k++) {
    const part = slicePart(cfg.clients, workers, k);
    const slice = { from: instanceFrom + part.from, count: part.count };
    const wc: ClientWorkerConfig = {
      workerId: k,
      from: slice.from,
      count: slice.count,
      instanceFrom,
      localAddresses: plan.addresses,
      localPorts: cfg.localPorts,
      excludePorts: plan.servers.map((s) => s.port),
      instanceClients: cfg.clients,
      servers: plan.servers.map(({ host, port, path }) => ({ host, port, path })),
      subjects: cfg.subjects,
      subjectsPerClient: cfg.subjectsPerClient,
      oneToOne: cfg.oneToOne,
      seed: cfg.seed,
      connectRate: cfg.connectRate / workers,
      maxPending: Math.max(1, Math.floor(cfg.maxPending / workers)),
      handshakeTimeoutMs: cfg.handshakeTimeout * 1000,
      bufferSize: cfg.bufferSize,
      latencyFrom: cfg.latencyFrom,
      mask: cfg.mask,
      token: cfg.token,
      reconnect: cfg.reconnect,
      reconnectMinMs: cfg.reconnectMin * 1000,
      reconnectMaxMs: cfg.reconnectMax * 1000,
    };
    // MDBENCH_WORKER_NODE_ARGS passes extra node flags to the workers (e.g. --cpu-prof for profiling).
    const execArgv = [
      `--max-semi-space-size=${cfg.semiSpaceMb}`,
      ...(heapMb ? [`--max-old-space-size=${heapMb}`] : []),
      ...(ctx.io.env.MDBENCH_WORKER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
    ];
    const child = fork(WORKER_JS, [], { env: { ...process.env, [CLIENT_WORKER_ENV]: JSON.stringify(wc) }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    gauges.set(k, { open: 0, subscribed: 0, connecting: 0, reconnecting: 0, planned: slice.count, failed: 0, firstConnectMs: 0, lastOpenMs: 0, lastSubscribedMs: 0 });
    child.on('message', (msg: WorkerToCoordinator) => {
      if (msg.type === 'ready') rssStartBytes += msg.rssBytes;
      else if (msg.type === 'progress') gauges.set(k, msg.gauges);
      else if (msg.type === 'snap' || msg.type === 'stopped') {
        gauges.set(k, msg.delta.gauges);
        const r = replies.get(msg.id);
        if (!r) return;
        r.deltas.push(msg.delta);
        if (--r.left === 0) {
          replies.delete(msg.id);
          r.done(r.deltas);
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (stopper.reason) return;
      workerLost = `worker ${k} exited (${signal ?? `code ${code}`})`;
      ctx.log.error(workerLost);
      for (const [id, r] of replies) if (--r.left === 0) (replies.delete(id), r.done(r.deltas));
    });
  }

  /** Replies that came after their pull gave up waiting: folded into the next report, never dropped. */
  const late: ClientDelta[] = [];
  const pull = (type: CoordinatorToWorker['type'], timeoutMs: number) =>
    new Promise<ClientDelta[]>((resolve) => {
      const id = ++requestId;
      const live = children.filter((c) => c.connected);
      if (live.length === 0) return resolve([]);
      let settled = false;
      const entry = {
        left: live.length,
        deltas: [] as ClientDelta[],
        done: (d: ClientDelta[]) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(d);
        },
      };
      const timer = setTimeout(() => {
        // Keep the entry: what arrives later goes to `late` instead of being lost.
        const got = entry.deltas;
        entry.deltas = late;
        entry.done = () => replies.delete(id);
        settled = true;
        resolve(got);
      }, timeoutMs);
      replies.set(id, entry);
      for (const c of live) c.send({ type, id });
    });
  const takeLate = () => late.splice(0, late.length);

  const startMs = performance.now();
  const run = new RunStats();
  const warm = new RunStats();
  let lastMs = startMs;
  let rampLogged = false;
  const spinner = ctx.fancy ? startSpinner(ctx.io.stderr) : null;

  const progress = setInterval(() => {
    const g = sumGauges(gauges.values());
    spinner?.update(`connecting: ${formatInt(g.open)} open, ${formatInt(g.subscribed)} subscribed, ${formatInt(g.failed)} failed of ${formatInt(g.planned)}`);
    if (!rampLogged && g.open + g.failed >= g.planned && g.subscribed >= g.open) {
      rampLogged = true;
      spinner?.stop();
      // The ramp's span: first connect attempt to last subscription acknowledged, over all workers.
      const s = g.lastSubscribedMs > g.firstConnectMs ? (g.lastSubscribedMs - g.firstConnectMs) / 1000 : (performance.now() - startMs) / 1000;
      const hs = g.lastOpenMs > g.firstConnectMs ? (g.lastOpenMs - g.firstConnectMs) / 1000 : s;
      ctx.log.info(
        'Connected',
        `${formatInt(g.open)} open, ${formatInt(g.subscribed)} subscribed, ${formatInt(g.failed)} failed in ${formatFixed(s, 2)} s ` +
          `(${formatFixed(g.open / s, 0)} connections/s; handshakes alone ${formatFixed(g.open / hs, 0)}/s)`,
      );
    }
  }, 250);

  const report = async (kind: 'interval' | 'summary', deltas: ClientDelta[]) => {
    const now = performance.now();
    const seconds = (now - lastMs) / 1000;
    lastMs = now;
    const uptimeS = (now - startMs) / 1000;
    const interval = new RunStats();
    for (const d of deltas) interval.add(d);
    const inWarmup = cfg.warmup > 0 && uptimeS <= cfg.warmup + 0.05 && kind === 'interval';
    (inWarmup ? warm : run).merge(interval);
    const g = sumGauges(gauges.values());
    const otherStamp = cfg.latencyFrom === 'scheduled' ? 'sent' : 'scheduled';
    spinner?.clear();
    if (inWarmup) {
      ctx.log.info('Warm-up', `${formatInt(interval.count('messages'))} messages in ${formatFixed(seconds, 1)} s kept out of the statistics`);
    } else if (kind === 'interval') {
      const view = new RunStats();
      view.merge(run);
      view.loopP99Ms = interval.loopP99Ms;
      view.loopMaxMs = interval.loopMaxMs;
      ctx.log.block(clientBlock({ stats: view, uptimeS, frequencyPerSec: interval.count('messages') / seconds, gauges: g, otherStamp }));
    } else {
      const measuredS = Math.max(1e-9, uptimeS - (cfg.warmup > 0 ? Math.min(cfg.warmup, uptimeS) : 0));
      ctx.log.info('Summary', `whole run, ${formatFixed(uptimeS, 1)} s${cfg.warmup > 0 ? `, ${formatInt(warm.count('messages'))} warm-up messages excluded` : ''}`);
      ctx.log.block(clientBlock({ stats: run, uptimeS, frequencyPerSec: run.count('messages') / measuredS, gauges: g, otherStamp }));
    }
    if (interval.loopP99Ms > SATURATION_P99_MS) {
      ctx.log.warn(`the client itself is saturated: event-loop delay p99 ${formatFixed(interval.loopP99Ms, 1)} ms; latencies include this delay (add --workers or machines)`);
    }
    if (cfg.perWorker && kind === 'interval') {
      for (const d of deltas.sort((a, b) => a.workerId - b.workerId)) {
        ctx.log.info(`Worker ${d.workerId}`, `${formatInt(d.gauges.open)} open, ${formatInt(d.latency.welford.count)} messages, mean ${formatFixed(d.latency.welford.mean / 1000, 2)} ms, RSS ${formatFixed(d.rssBytes / 1048576, 1)} MiB`);
      }
    }
    if (hlog && kind === 'interval' && !inWarmup) hlog.interval(interval.latency.hist, uptimeS - seconds, uptimeS);
    const rss = deltas.reduce((a, d) => a + d.rssBytes, 0);
    const heapUsedBytes = deltas.reduce((a, d) => a + d.heapUsedBytes, 0);
    const record = kind === 'summary' ? run : interval;
    json?.write({ type: inWarmup ? 'warmup' : kind, ...header, ts: new Date().toISOString(), uptimeS, seconds: kind === 'summary' ? uptimeS : seconds, ...record.toJSON(), gauges: g, rssBytes: rss, rssStartBytes, heapUsedBytes, perProcess: deltas.map((d) => ({ worker: d.workerId, rssBytes: d.rssBytes, heapUsedBytes: d.heapUsedBytes })) });
  };

  let reporting = Promise.resolve();
  const tick = setInterval(() => {
    reporting = reporting.then(async () => report('interval', [...takeLate(), ...(await pull('snap', 5000))]));
  }, cfg.interval * 1000);
  const warmTimer = cfg.warmup > 0 && cfg.warmup % cfg.interval !== 0 ? setTimeout(() => (reporting = reporting.then(async () => report('interval', [...takeLate(), ...(await pull('snap', 5000))]))), cfg.warmup * 1000) : null;

  const reason = await stopper.promise;
  clearInterval(tick);
  clearInterval(progress);
  if (warmTimer) clearTimeout(warmTimer);
  spinner?.stop();
  await reporting;
  const last = await pull('stop', 60_000);
  const final = new RunStats();
  for (const d of [...takeLate(), ...last]) final.add(d);
  run.merge(final);
  ctx.log.info('Stopped', reason === 'duration' ? 'duration reached' : reason);
  await report('summary', []);
  json?.close();
  hlog?.close();
  stopper.dispose();
  // Workers exit on their own after their final report; only stragglers are killed.
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => (c.kill(), resolve()), 3000);
          c.once('exit', () => (clearTimeout(t), resolve()));
        }),
    ),
  );

  const g = sumGauges(gauges.values());
  const problems: string[] = [];
  if (g.failed > 0) problems.push(`${formatInt(g.failed)} connections failed`);
  const notOpen = g.planned - g.open - g.failed;
  if (notOpen > 0) problems.push(`${formatInt(notOpen)} of ${formatInt(g.planned)} planned connections not open at the end`);
  if (run.count('gaps') > 0) problems.push(`${formatInt(run.count('gaps'))} messages lost`);
  if (run.count('malformed') > 0) problems.push(`${formatInt(run.count('malformed'))} malformed frames`);
  if (workerLost) problems.push(workerLost);
  ctx.log.info('Result', problems.length ? `errors: ${problems.join(', ')}` : 'ok');
  return problems.length ? ExitCode.RUN_ERRORS : ExitCode.OK;
}
