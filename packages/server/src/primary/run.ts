import os from 'node:os';
import path from 'node:path';
import {
  ExitCode,
  HttpEndpoint,
  exitWithOutputs,
  PROMETHEUS_CONTENT_TYPE,
  JSON_LINES_VERSION,
  JsonLinesWriter,
  MdbenchError,
  StopController,
  bandwidthMeterFor,
  originOf,
  realHost,
  systemClock,
  workerNodeArgs,
  type CommandContext,
} from '@mdbench/core';
import { Hub } from '../hub/hub.js';
import type { ServerConfig } from '../options.js';
import { serverMetrics } from './metrics.js';
import { buildServerPlan } from './plan.js';
import { ServerReporter } from './reporter.js';
import { Supervisor } from './supervisor.js';
import { ServerTotals } from './totals.js';
import { serverTls } from './tls.js';

/** How long workers may take to send their last counts and exit. */
const STOP_GRACE_MS = 2000;

/** Runs the reference server: forks workers, links them through the hub, reports, and stops cleanly. */
export async function runServer(ctx: CommandContext<ServerConfig>, version: string): Promise<number> {
  const cfg = ctx.config;
  const clock = systemClock;
  const plan = buildServerPlan(cfg, ctx.resolved, realHost());
  const tls = serverTls(cfg, ctx.resolved);
  // The output file opens before any worker starts: a path that cannot be written is exit 2 here.
  const json = cfg.json ? new JsonLinesWriter(cfg.json, (m) => ctx.log.error(m)) : null;
  for (const w of plan.warnings) ctx.warn(w);
  const bandwidth = bandwidthMeterFor(
    cfg.iface,
    plan.listen.host === '0.0.0.0' ? '127.0.0.1' : plan.listen.host,
    undefined,
    clock.monotonicMs(),
    originOf(ctx.resolved, 'iface'),
  );

  const hub = plan.workers > 1 ? new Hub(path.join(os.tmpdir(), `mdbench-hub-${process.pid}.sock`)) : null;
  await hub?.listen();
  const totals = new ServerTotals();
  const stopper = new StopController(ctx.io, cfg.duration);
  const heapMb = cfg.memory ? Math.max(64, Math.floor(cfg.memory / plan.workers)) : undefined;
  const supervisor = new Supervisor(
    {
      workers: plan.workers,
      shared: cfg.scheduling === 'shared',
      execArgv: workerNodeArgs(ctx.io.env, [`--max-semi-space-size=${cfg.semiSpaceMb}`]),
      nodeOptions: heapMb ? `--max-old-space-size=${heapMb}` : undefined,
      config: (workerId, port) => ({
        workerId,
        host: plan.listen.host,
        port,
        hubPath: hub?.path ?? '',
        bufferLimitSend: cfg.bufferLimitSend,
        bufferLimitReceive: cfg.bufferLimitReceive,
        slowConsumer: cfg.slowConsumer,
        compression: cfg.compression,
        token: cfg.token,
        tls,
        maxSockets: plan.maxSocketsPerWorker,
        testDropEvery: cfg.testDropEvery,
        testClockOffsetUs: cfg.testClockOffsetMs * 1000,
        testMaxRate: cfg.testMaxRate,
      }),
      onStats: (id, s) => totals.add(id, s, clock.monotonicMs()),
      onGone: (id) => totals.forget(id),
      onRestart: (_id, why) => ctx.log.warn(why),
    },
    plan.listen.port,
  );
  await supervisor.start(() => stopper.stop('failed'));
  if (supervisor.fatal) {
    supervisor.kill();
    hub?.close();
    stopper.dispose();
    throw new MdbenchError('MDB_LISTEN', supervisor.fatal);
  }

  let monitor: HttpEndpoint | null = null;
  // Requests that arrive while a listing is being gathered from the workers share it: one fan-out
  // to every worker at a time, however often the route is asked.
  let listing: Promise<string> | null = null;
  const connectionList = () =>
    (listing ??= supervisor
      .connections()
      .then((peers) => JSON.stringify({ count: peers.length, peers }))
      .finally(() => (listing = null)));
  if (plan.monitor) {
    monitor = new HttpEndpoint(
      [
        {
          path: '/stats',
          contentType: 'application/json',
          body: () => JSON.stringify({ ...totals.snapshot(), hubForwarded: hub?.forwarded ?? 0, port: supervisor.port }),
        },
        { path: '/connections', contentType: 'application/json', body: () => connectionList() },
        { path: '/metrics', contentType: PROMETHEUS_CONTENT_TYPE, body: () => serverMetrics(totals, hub?.forwarded ?? 0) },
      ],
      cfg.token,
    );
    try {
      await monitor.listen(plan.monitor.host, plan.monitor.port, 'monitor');
    } catch (err) {
      await supervisor.stop(STOP_GRACE_MS);
      hub?.close();
      stopper.dispose();
      throw err;
    }
  }
  ctx.log.info(
    'Listening',
    `${plan.listen.host}:${supervisor.port} (${tls ? `wss://, TLS${tls.ca ? ' with client certificates' : ''}, ` : ''}${cfg.compression === 'deflate' ? 'permessage-deflate accepted, ' : ''}${plan.workers} worker${plan.workers > 1 ? 's' : ''}, mdbench-server ${version})`,
  );
  if (monitor) ctx.log.info('Monitor', `http://${plan.monitor?.host}:${monitor.port}/stats`);

  const reporter = new ServerReporter({
    log: ctx.log,
    json,
    clock,
    totals,
    bandwidth,
    hubForwarded: () => hub?.forwarded ?? 0,
    header: {
      v: JSON_LINES_VERSION,
      tool: 'mdbench-server',
      version,
      host: os.hostname(),
      pid: process.pid,
      instance: 1,
      instances: 1,
      processes: plan.workers,
    },
  });
  const timer = setInterval(() => reporter.report('interval'), cfg.interval * 1000);
  const reason = await stopper.promise;
  clearInterval(timer);
  await supervisor.stop(STOP_GRACE_MS);
  ctx.log.info('Stopped', reason === 'duration' ? 'duration reached' : reason);
  reporter.report('summary');
  json?.close();
  monitor?.close();
  hub?.close();
  stopper.dispose();
  if (supervisor.fatal) {
    ctx.log.error(supervisor.fatal);
    return exitWithOutputs(ExitCode.RUN_ERRORS, [json?.file]);
  }
  return exitWithOutputs(ExitCode.OK, [json?.file]);
}
