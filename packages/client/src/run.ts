import os from 'node:os';
import {
  AbortWatch,
  MetricsPusher,
  serveDashboard,
  dashboardPoint,
  pushGroupUrl,
  CLIENT_THRESHOLD_METRICS,
  ExitCode,
  HlogWriter,
  JSON_LINES_VERSION,
  JsonLinesWriter,
  StopController,
  configDigest,
  exitWithOutputs,
  outputProblems,
  bandwidthMeterFor,
  bearerHeaders,
  TLS_INSECURE_WARNING,
  clientTlsFor,
  formatFixed,
  formatInt,
  loadProtocol,
  measureClockOffset,
  originOf,
  parseThresholds,
  probeServers,
  protocolOptionsOf,
  realHost,
  openFileHardLimit,
  preflight,
  resolvePluginPath,
  serveMetrics,
  startSpinner,
  systemClock,
  workerNodeArgs,
  type ClientTls,
  type ClockOffset,
  type CommandContext,
} from '@mdbench/core';
import { clientSpecs, type ClientConfig } from './options.js';
import { buildClientPlan, chooseClientWorkers, clientHostPlan, workerConfig, type ClientPlan } from './plan.js';
import { RampProgress } from './ramp-progress.js';
import { ClientReporter, type ClientHeader } from './reporter.js';
import { clientProblems } from './result.js';
import { WorkerPool } from './worker-pool.js';
import { clientMetrics } from './metrics.js';

/** A clock offset against the server beyond this (µs) gets a warning. */
const CLOCK_WARN_US = 1000;
/** How long a pull waits for the workers' deltas, and for their last ones at the end. */
const PULL_MS = 5000;
const STOP_MS = 60_000;

/** The clock offset against the first server, logged (native protocol only: the others have no time probe). */
async function clockOffset(
  cfg: ClientConfig,
  ctx: CommandContext<ClientConfig>,
  plan: ClientPlan,
  tls: ClientTls | undefined,
): Promise<ClockOffset | undefined> {
  if (cfg.clockSamples === 0) return undefined;
  if (cfg.protocol !== 'native') {
    ctx.log.info('Clock offset', `not measured: ${cfg.protocol} has no time probe (keep the hosts' clocks synchronised with NTP or PTP)`);
    return undefined;
  }
  const clock = await measureClockOffset(plan.servers[0], { samples: cfg.clockSamples, headers: bearerHeaders(cfg.token), timeoutMs: 5000, tls });
  if (!clock) return undefined;
  ctx.log.info(
    'Clock offset',
    `${clock.offsetUs >= 0 ? '+' : ''}${formatFixed(clock.offsetUs / 1000, 3)} ms against ${plan.servers[0].text} (round trip ${formatFixed(clock.rttUs / 1000, 3)} ms, best of ${clock.samples})`,
  );
  if (Math.abs(clock.offsetUs) > CLOCK_WARN_US) {
    ctx.log.warn(
      `this host's clock is ${formatFixed(clock.offsetUs / 1000, 1)} ms off the server's: latencies across hosts are shifted by about that much (synchronise with NTP/PTP)`,
    );
  }
  return clock;
}

/** Runs the subscriber fleet: plan, pre-flight, probe, workers, merged reports, final summary. */
export async function runClient(ctx: CommandContext<ClientConfig>, version: string): Promise<number> {
  const cfg = ctx.config;
  const clock = systemClock;
  const plan = buildClientPlan(cfg, ctx.resolved, ctx.io.env);
  const thresholds = parseThresholds(cfg.thresholds ?? '', CLIENT_THRESHOLD_METRICS, originOf(ctx.resolved, 'thresholds'));
  const pushUrl = cfg.metricsPush ? pushGroupUrl(cfg.metricsPush, 'mdbench-client', plan.instance.index + 1, originOf(ctx.resolved, 'metricsPush')) : null;
  // Output files open before anything starts: a path that cannot be written is exit 2 here.
  const json = cfg.json ? new JsonLinesWriter(cfg.json, (m) => ctx.log.error(m)) : null;
  const hlog = cfg.hlog
    ? new HlogWriter(
        cfg.hlog,
        Date.now(),
        `mdbench-client ${version} instance ${plan.instance.index + 1}/${plan.instance.count} on ${os.hostname()}, latency in us`,
        (m) => ctx.log.error(m),
      )
    : null;
  const protocolName = resolvePluginPath(cfg.protocol, process.cwd());
  const popts = protocolOptionsOf(cfg, 'subscriber');
  const protocol = await loadProtocol(protocolName, popts, originOf(ctx.resolved, 'protocol'));
  const bandwidth = bandwidthMeterFor(cfg.iface, plan.servers[0].host, plan.addresses[0], clock.monotonicMs(), originOf(ctx.resolved, 'iface'));
  // TLS files are read and checked here, before anything connects (exit 2 naming the file).
  const tls = clientTlsFor(plan.servers, cfg, (name) => originOf(ctx.resolved, name));
  if (tls && !tls.verify) ctx.log.warn(TLS_INSECURE_WARNING);
  const host = realHost();
  const workers = chooseClientWorkers(cfg.workers, cfg.clients, openFileHardLimit(host));
  for (const w of preflight(host, clientHostPlan(cfg, plan, workers))) ctx.warn(w);
  await probeServers(plan.servers, {
    subprotocol: protocol.subprotocol,
    headers: bearerHeaders(cfg.token),
    tls,
    timeoutMs: cfg.handshakeTimeout * 1000,
    hint:
      cfg.protocol === 'native'
        ? 'start the server first (mdbench-server --listen HOST:PORT) or fix ServerAddresses'
        : `start the ${protocol.name} server first, or fix ServerAddresses (HOST:PORT or ws://HOST:PORT/PATH)`,
  });

  const inst = plan.instance;
  const offset = await clockOffset(cfg, ctx, plan, tls);
  const header: ClientHeader = {
    v: JSON_LINES_VERSION,
    tool: 'mdbench-client',
    version,
    host: os.hostname(),
    pid: process.pid,
    instance: inst.index + 1,
    instances: inst.count,
    processes: workers,
    protocol: protocol.name,
    configDigest: configDigest(cfg, clientSpecs),
    clockOffsetUs: offset?.offsetUs ?? null,
    clockRttUs: offset?.rttUs ?? null,
  };
  if (inst.count > 1)
    ctx.log.info(
      'Instance',
      `${inst.index + 1} of ${inst.count}: fleet connections ${formatInt(plan.instanceFrom + 1)}..${formatInt(plan.instanceFrom + cfg.clients)}`,
    );
  ctx.log.info(
    'Plan',
    `${plan.addressPlan.describe()}, protocol ${protocol.name}${tls ? `, TLS (${tls.verify ? 'verified' : 'NOT verified'}${tls.resume ? ', sessions resumed on reconnect' : ', full handshakes only'})` : ''}${cfg.compression === 'deflate' ? `, permessage-deflate offered (${cfg.deflateTakeover ? 'server context kept' : 'no context kept'})` : ''}`,
  );
  if (plan.blocked.length) {
    const cost = plan.blocked.reduce((a, b) => a + b.connections, 0);
    ctx.log.info(
      'Ports left out',
      `${plan.blocked.map((b) => b.port).join(', ')} of LocalPorts: other programs listen on them (${plan.blocked.flatMap((b) => b.by).join(', ')}); ${formatInt(cost)} planned connection(s) would have failed with EADDRINUSE`,
    );
  }
  if (cfg.warmup > 0) ctx.log.info('Warm-up', `the messages of the first ${formatFixed(cfg.warmup, 1)} s from the first message are counted but not measured`);
  ctx.log.info(
    'Workers',
    `${workers} processes, ${formatInt(Math.ceil(cfg.clients / workers))} connections each at most, ${formatInt(cfg.connectRate)} connections/s`,
  );

  // The metrics endpoint opens before any worker starts, so a port that cannot be opened stops nothing running.
  let live: { reporter: ClientReporter; pool: WorkerPool } | null = null;
  const metricsText = () => (live ? clientMetrics(live.reporter.run, live.pool.totals(), { protocol: protocol.name, instance: String(inst.index + 1) }) : '');
  const metrics = await serveMetrics(cfg.metricsListen, metricsText, cfg.token, originOf(ctx.resolved, 'metricsListen'));
  if (metrics) ctx.log.info('Metrics', `${metrics.url}/metrics`);
  const pusher = pushUrl ? new MetricsPusher(pushUrl, metricsText, (m) => ctx.log.warn(m)) : null;
  const dashboard = await serveDashboard(
    cfg.dashboard,
    `mdbench-client instance ${inst.index + 1} on ${os.hostname()}: ${cfg.clients} connections to ${cfg.serverAddresses}`,
    cfg.token,
    originOf(ctx.resolved, 'dashboard'),
  );
  if (dashboard) ctx.log.info('Dashboard', dashboard.url);
  if (pushUrl) ctx.log.info('Metrics push', pushUrl);
  const heapMb = cfg.memory ? Math.max(64, Math.floor(cfg.memory / workers)) : undefined;
  const execArgv = workerNodeArgs(ctx.io.env, [`--max-semi-space-size=${cfg.semiSpaceMb}`, ...(heapMb ? [`--max-old-space-size=${heapMb}`] : [])]);
  const stopper = new StopController(ctx.io, cfg.duration);
  const configs = Array.from({ length: workers }, (_, k) => workerConfig(cfg, plan, { name: protocolName, options: popts }, workers, k));
  const pool = new WorkerPool(configs, execArgv, process.env, (why) => ctx.log.error(why));
  const progress = new RampProgress(ctx.log, startSpinner(ctx.io.stderr, 'connecting', ctx.fancy), clock);
  const reporter = new ClientReporter({
    log: ctx.log,
    json,
    hlog,
    header,
    clock,
    warmupS: cfg.warmup,
    latencyFrom: cfg.latencyFrom,
    perWorker: cfg.perWorker,
    bandwidth,
    gauges: () => pool.totals(),
    rssStartBytes: () => pool.rssStartBytes,
    beforeWrite: () => progress.clear(),
    thresholds,
  });
  live = { reporter, pool };

  const watch = setInterval(() => progress.update(pool.totals()), 250);
  let reporting = Promise.resolve();
  const abort = cfg.abortOnFail !== undefined && thresholds.length ? new AbortWatch(cfg.abortOnFail) : null;
  const pullInterval = () =>
    (reporting = reporting.then(async () => {
      const interval = reporter.interval(await pool.pull('snap', PULL_MS));
      pusher?.push();
      // The thresholds on the run so far, judged once for the page and the abort watch.
      const soFar = dashboard || abort ? reporter.judgeSoFar() : [];
      dashboard?.publish(dashboardPoint(interval.stats, interval.seconds, pool.totals(), soFar));
      const crossed = abort?.check(soFar, clock.monotonicMs()) ?? [];
      if (crossed.length) {
        ctx.log.warn(`stopping: ${crossed.join(', ')} crossed for ${cfg.abortOnFail} s (--abort-on-fail)`);
        stopper.stop('thresholds');
      }
    }));
  const tick = setInterval(pullInterval, cfg.interval * 1000);

  const reason = await stopper.promise;
  clearInterval(tick);
  clearInterval(watch);
  progress.stop();
  await reporting;
  const last = await pool.pull('stop', STOP_MS);
  ctx.log.info('Stopped', reason === 'duration' ? 'duration reached' : reason === 'thresholds' ? 'thresholds crossed (--abort-on-fail)' : reason);
  const verdicts = reporter.summary(last);
  await pusher?.final();
  dashboard?.close();
  json?.close();
  hlog?.close();
  metrics?.close();
  stopper.dispose();
  // Workers exit on their own after their final report; only stragglers are killed.
  await pool.exited(3000);

  const problems = [...clientProblems(pool.totals(), reporter.run, pool.lost), ...outputProblems([json?.file, hlog?.file])];
  const crossed = verdicts.filter((v) => !v.passed).map((v) => v.threshold);
  if (crossed.length) problems.push(`thresholds crossed: ${crossed.join(', ')}`);
  ctx.log.info('Result', problems.length ? `errors: ${problems.join(', ')}` : 'ok');
  return exitWithOutputs(crossed.length ? ExitCode.THRESHOLDS : problems.length ? ExitCode.RUN_ERRORS : ExitCode.OK, [json?.file ?? null, hlog?.file ?? null]);
}
