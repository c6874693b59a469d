import { createHash } from 'node:crypto';
import os from 'node:os';
import {
  ExitCode,
  HlogWriter,
  JSON_LINES_VERSION,
  JsonLinesWriter,
  NATIVE_SUBPROTOCOL,
  StopController,
  formatFixed,
  formatInt,
  measureClockOffset,
  readHostFacts,
  resolveInstance,
  type CommandContext,
} from '@mdbench/core';
import { RunStats } from './run-stats.js';
import { SATURATION_P99_MS, clientBlock } from './client-report.js';
import { buildClientPlan, chooseClientWorkers, preflight, probeServers, workerConfig } from './client-plan.js';
import type { ClientConfig } from './options.js';
import type { ClientDelta } from './worker-protocol.js';
import { WorkerPool } from './worker-pool.js';
import { startSpinner } from './spinner.js';

/** A clock offset against the server beyond this (µs) gets a warning. */
export const CLOCK_WARN_US = 1000;

/** Runs the subscriber fleet: plan, pre-flight, probe, workers, merged reports, final summary. */
export async function runClient(cfg: ClientConfig, ctx: CommandContext, version: string): Promise<number> {
  const plan = buildClientPlan(cfg);
  const facts = readHostFacts();
  const workers = chooseClientWorkers(cfg.workers, cfg.clients, facts.nofile?.hard);
  for (const w of preflight(cfg, plan, workers, facts)) ctx.warn(w);
  const headers = cfg.token ? { Authorization: `Bearer ${cfg.token}` } : undefined;
  await probeServers(plan, headers, cfg.handshakeTimeout * 1000);

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

  const heapMb = cfg.memory ? Math.max(64, Math.floor(cfg.memory / workers)) : undefined;
  // MDBENCH_WORKER_NODE_ARGS passes extra node flags to the workers (e.g. --cpu-prof for profiling).
  const execArgv = [
    `--max-semi-space-size=${cfg.semiSpaceMb}`,
    ...(heapMb ? [`--max-old-space-size=${heapMb}`] : []),
    ...(ctx.io.env.MDBENCH_WORKER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
  ];
  const stopper = new StopController(ctx.io, cfg.duration);
  const configs = Array.from({ length: workers }, (_, k) => workerConfig(cfg, plan, instanceFrom, workers, k));
  const pool = new WorkerPool(configs, execArgv, process.env, (why) => ctx.log.error(why));

  const startMs = performance.now();
  const run = new RunStats();
  const warm = new RunStats();
  let lastMs = startMs;
  let rampLogged = false;
  const spinner = ctx.fancy ? startSpinner(ctx.io.stderr) : null;

  const progress = setInterval(() => {
    const g = pool.totals();
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
    const g = pool.totals();
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
    json?.write({ type: inWarmup ? 'warmup' : kind, ...header, ts: new Date().toISOString(), uptimeS, seconds: kind === 'summary' ? uptimeS : seconds, ...record.toJSON(), gauges: g, rssBytes: rss, rssStartBytes: pool.rssStartBytes, heapUsedBytes, perProcess: deltas.map((d) => ({ worker: d.workerId, rssBytes: d.rssBytes, heapUsedBytes: d.heapUsedBytes })) });
  };

  let reporting = Promise.resolve();
  const tick = setInterval(() => {
    reporting = reporting.then(async () => report('interval', await pool.pull('snap', 5000)));
  }, cfg.interval * 1000);
  const warmTimer = cfg.warmup > 0 && cfg.warmup % cfg.interval !== 0 ? setTimeout(() => (reporting = reporting.then(async () => report('interval', await pool.pull('snap', 5000)))), cfg.warmup * 1000) : null;

  const reason = await stopper.promise;
  clearInterval(tick);
  clearInterval(progress);
  if (warmTimer) clearTimeout(warmTimer);
  spinner?.stop();
  await reporting;
  const final = new RunStats();
  for (const d of await pool.pull('stop', 60_000)) final.add(d);
  run.merge(final);
  ctx.log.info('Stopped', reason === 'duration' ? 'duration reached' : reason);
  await report('summary', []);
  json?.close();
  hlog?.close();
  stopper.dispose();
  // Workers exit on their own after their final report; only stragglers are killed.
  await pool.exited(3000);

  const g = pool.totals();
  const problems: string[] = [];
  if (g.failed > 0) problems.push(`${formatInt(g.failed)} connections failed`);
  const notOpen = g.planned - g.open - g.failed;
  if (notOpen > 0) problems.push(`${formatInt(notOpen)} of ${formatInt(g.planned)} planned connections not open at the end`);
  if (run.count('gaps') > 0) problems.push(`${formatInt(run.count('gaps'))} messages lost`);
  if (run.count('malformed') > 0) problems.push(`${formatInt(run.count('malformed'))} malformed frames`);
  if (pool.lost) problems.push(pool.lost);
  ctx.log.info('Result', problems.length ? `errors: ${problems.join(', ')}` : 'ok');
  return problems.length ? ExitCode.RUN_ERRORS : ExitCode.OK;
}
