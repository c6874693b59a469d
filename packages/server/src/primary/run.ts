import os from 'node:os';
import {
  ExitCode,
  JSON_LINES_VERSION,
  StopController,
  bandwidthMeterFor,
  exitWithOutputs,
  openOutputs,
  originOf,
  stoppedText,
  withScope,
  type CommandContext,
} from '@mdbench/core/internal';
import type { ServerConfig } from '../options.js';
import { openMonitor } from './monitor.js';
import { buildServerPlan } from './plan.js';
import { ServerReporter } from './reporter.js';
import { ServerTotals } from './totals.js';
import { serverTls } from './tls.js';
import { STOP_GRACE_MS, startWorkers } from './workers.js';

/** Runs the reference server: forks workers, links them through the hub, reports, and stops cleanly. */
export async function runServer(ctx: CommandContext<ServerConfig>, version: string): Promise<number> {
  return withScope(
    (m) => ctx.log.error(m),
    async (scope) => {
      const cfg = ctx.config;
      const { clock } = ctx.io;
      const plan = buildServerPlan(cfg, ctx.resolved, ctx.io.host);
      const tls = serverTls(cfg, ctx.resolved);
      // The output file opens before any worker starts: a path that cannot be written is exit 2 here.
      const out = openOutputs(cfg, '', scope, ctx.log, clock);
      for (const w of plan.warnings) ctx.warn(w);
      const bandwidthHost = plan.listen.host === '0.0.0.0' ? '127.0.0.1' : plan.listen.host;
      const bandwidth = bandwidthMeterFor(cfg.iface, bandwidthHost, undefined, clock.monotonicMs(), originOf(ctx.resolved, 'iface'));
      const totals = new ServerTotals();
      const stopper = scope.hold('signal handlers', new StopController(ctx.io, cfg.duration), (s) => s.dispose());
      const { hub, supervisor } = await startWorkers(ctx, scope, plan, tls, totals, () => stopper.stop('failed'));
      const monitor = plan.monitor ? await openMonitor(scope, plan.monitor, cfg.token, { totals, hub, supervisor }) : null;
      const tlsText = tls ? `wss://, TLS${tls.ca ? ' with client certificates' : ''}, ` : '';
      const deflateText = cfg.compression === 'deflate' ? 'permessage-deflate accepted, ' : '';
      const workersText = `${plan.workers} worker${plan.workers > 1 ? 's' : ''}`;
      ctx.log.info('Listening', `${plan.listen.host}:${supervisor.port} (${tlsText}${deflateText}${workersText}, mdbench-server ${version})`);
      if (monitor) ctx.log.info('Monitor', `http://${plan.monitor?.host}:${monitor.port}/stats`);

      const reporter = new ServerReporter({
        log: ctx.log,
        json: out.json,
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
      // The workers' last counts arrive before the summary.
      await supervisor.stop(STOP_GRACE_MS);
      ctx.log.info('Stopped', stoppedText(reason));
      reporter.report('summary');
      await scope.close();
      if (supervisor.fatal) ctx.log.error(supervisor.fatal);
      return exitWithOutputs(supervisor.fatal ? ExitCode.RUN_ERRORS : ExitCode.OK, out.files);
    },
  );
}
