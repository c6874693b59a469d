import os from 'node:os';
import path from 'node:path';
import { MdbenchError, workerNodeArgs, type CommandContext, type RunScope } from '@mdbench/core/internal';
import { Hub } from '../hub/hub.js';
import type { ServerConfig } from '../options.js';
import type { ServerPlan } from './plan.js';
import { Supervisor } from './supervisor.js';
import type { serverTls } from './tls.js';
import type { ServerTotals } from './totals.js';

/** How long workers may take to send their last counts and exit. */
export const STOP_GRACE_MS = 2000;

/**
 * Starts the hub (with more than one worker) and forks the workers, each held by the run's scope;
 * resolves once every worker listens. A worker that cannot listen is one line (exit 3).
 */
export async function startWorkers(
  ctx: CommandContext<ServerConfig>,
  scope: RunScope,
  plan: ServerPlan,
  tls: ReturnType<typeof serverTls>,
  totals: ServerTotals,
  onFailed: () => void,
): Promise<{ hub: Hub | null; supervisor: Supervisor }> {
  const cfg = ctx.config;
  const { clock } = ctx.io;
  const hub = scope.hold('hub', plan.workers > 1 ? new Hub(path.join(os.tmpdir(), `mdbench-hub-${process.pid}.sock`)) : null, (h) => h.close());
  await hub?.listen();
  const heapMb = cfg.memory ? Math.max(64, Math.floor(cfg.memory / plan.workers)) : undefined;
  const supervisor = new Supervisor(
    {
      workers: plan.workers,
      shared: cfg.scheduling === 'shared',
      accepting: cfg.acceptingWorkers,
      execArgv: workerNodeArgs(ctx.io.env, [`--max-semi-space-size=${cfg.semiSpaceMb}`]),
      nodeOptions: heapMb ? `--max-old-space-size=${heapMb}` : undefined,
      config: (workerId, port) => ({
        workerId,
        options: cfg,
        host: plan.listen.host,
        port,
        hubPath: hub?.path ?? '',
        tls,
        maxSockets: plan.maxSocketsPerWorker,
      }),
      onStats: (id, s) => totals.add(id, s, clock.monotonicMs()),
      onGone: (id) => totals.forget(id),
      onRestart: (_id, why) => ctx.log.warn(why),
    },
    plan.listen.port,
  );
  // Stopped (last counts sent) at the end of the run; killed when the run fails before.
  scope.hold('workers', supervisor, (sv) => (sv.fatal ? sv.kill() : sv.stop(STOP_GRACE_MS)));
  await supervisor.start(onFailed);
  if (supervisor.fatal) throw new MdbenchError('MDB_LISTEN', supervisor.fatal);
  return { hub, supervisor };
}
