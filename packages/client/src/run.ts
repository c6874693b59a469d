import os from 'node:os';
import {
  StopController,
  dashboardPoint,
  openMonitoring,
  originOf,
  reportEvery,
  runOutcome,
  serveDashboard,
  startSpinner,
  stoppedText,
  withScope,
  workerNodeArgs,
  type Clock,
  type ClientGauges,
  formatFixed,
  formatInt,
  type CommandContext,
} from '@mdbench/core/internal';
import { clientMetrics } from './metrics.js';
import type { ClientConfig } from './options.js';
import { workerConfig } from './plan.js';
import { type ClientSetup, prepareClient } from './prepare.js';
import { RampProgress } from './ramp-progress.js';
import { RecoveryWatch } from './recovery.js';
import { PopulationWatch } from './population.js';
import { ClientReporter } from './reporter.js';
import { clientProblems } from './result.js';
import type { ClientDelta } from './worker-config.js';
import { WorkerPool } from './worker-pool.js';

/** How long a pull waits for the workers' deltas, and for their last ones at the end. */
const PULL_MS = 5000;
const STOP_MS = 60_000;
/** The drain's step: while a step brings messages, the next is waited for. */
const DRAIN_STEP_MS = 300;
/** How long the workers may take to exit after their last report before they are killed. */
const EXIT_GRACE_MS = 3000;

/** Runs the subscriber fleet: plan, pre-flight, probe, workers, merged reports, final summary. */
export async function runClient(ctx: CommandContext<ClientConfig>, version: string): Promise<number> {
  return withScope(
    (m) => ctx.log.error(m),
    async (scope) => {
      const cfg = ctx.config;
      const { clock } = ctx.io;
      const s = await prepareClient(ctx, version, scope);
      const inst = s.plan.instance;
      // The endpoints open before any worker starts, so a port that cannot be opened stops nothing running.
      let live: { reporter: ClientReporter; pool: WorkerPool } | null = null;
      const labels = { protocol: s.protocol.name, instance: String(inst.index + 1) };
      const monitoring = await openMonitoring(ctx, scope, s.pushUrl, () => (live ? clientMetrics(live.reporter.run, live.pool.totals(), labels) : ''));
      const title = `mdbench-client instance ${inst.index + 1} on ${os.hostname()}: ${cfg.clients} connections to ${cfg.serverAddresses}`;
      const dashboard = scope.hold('dashboard', await serveDashboard(cfg.dashboard, title, cfg.token, originOf(ctx.resolved, 'dashboard')), (d) => d.close());
      if (dashboard) ctx.log.info('Dashboard', dashboard.url);
      const stopper = scope.hold('signal handlers', new StopController(ctx.io, cfg.duration), (st) => st.dispose());
      const pool = scope.hold('workers', startWorkers(ctx, s), (p) => p.exited(EXIT_GRACE_MS));
      const recovery = new RecoveryWatch(clock.monotonicMs());
      const population = cfg.lifetime !== undefined || cfg.arrivalRate !== undefined ? new PopulationWatch() : null;
      const progress = new RampProgress(ctx.log, startSpinner(ctx.io.stderr, 'connecting', ctx.fancy), clock);
      const reporter = new ClientReporter({
        log: ctx.log,
        json: s.out.json,
        hlog: s.out.hlog,
        header: s.header,
        clock,
        warmupS: cfg.warmup,
        latencyFrom: cfg.latencyFrom,
        perWorker: cfg.perWorker,
        bandwidth: s.bandwidth,
        gauges: () => pool.totals(),
        rssStartBytes: () => pool.rssStartBytes,
        beforeWrite: () => progress.clear(),
        thresholds: s.thresholds,
        recovery,
        population,
      });
      live = { reporter, pool };

      const watch = watchConnections(ctx, pool, progress, recovery, population);
      // Held, so a run that fails mid-way stops its beat too.
      const loop = scope.hold(
        'reporting',
        reportEvery(ctx, stopper, s.thresholds, async (judge) => {
          const interval = reporter.interval(await pool.pull('snap', PULL_MS));
          monitoring.push();
          // The thresholds on the run so far, judged once for the page and the abort watch.
          const soFar = dashboard || judge ? reporter.judgeSoFar() : [];
          dashboard?.publish(dashboardPoint(interval.stats, interval.seconds, pool.totals(), soFar, Math.floor(clock.nowUs() / 1000)));
          return soFar;
        }),
        (l) => l.stop(),
      );

      const reason = await stopper.promise;
      watch.stop();
      progress.stop();
      await loop.stop();
      // The connections stop publishing, requesting, closing themselves and arriving first: what they
      // sent is then received during the drain, and those connecting are in for the final count.
      if (cfg.publishRate > 0 || cfg.requestRate > 0 || cfg.lifetime || cfg.arrivalRate !== undefined) pool.tell('quiet');
      reporter.absorb(await drainInFlight(pool, cfg.drain * 1000, clock));
      const last = await pool.pull('stop', STOP_MS);
      ctx.log.info('Stopped', stoppedText(reason));
      const verdicts = reporter.summary(last);
      await monitoring.final();
      // Workers exit on their own after their final report; only stragglers are killed.
      await scope.close();
      return runOutcome(ctx.log, {
        problems: clientProblems(pool.totals(), reporter.run, pool.lost, reporter.backlogWatch.backlog(), cfg.arrivalRate !== undefined),
        verdicts,
        files: s.out.files,
      });
    },
  );
}

/**
 * The word to the workers that their connections may publish and request (--publish-rate,
 * --request-rate): once every planned
 * connection of the instance has settled (subscribed, failed, or waiting to reconnect after a
 * failure), so that the first messages find their rooms subscribed.
 */
class TalkStart {
  private said = false;
  constructor(
    private readonly ctx: CommandContext<ClientConfig>,
    private readonly pool: WorkerPool,
  ) {}

  check(gauges: ClientGauges): void {
    const { publishRate, requestRate, messageSize } = this.ctx.config;
    if (this.said || publishRate + requestRate === 0 || gauges.planned === 0) return;
    // The open model never has them all: its connections publish from their arrival.
    const settled =
      this.ctx.config.arrivalRate === undefined ? gauges.subscribed + gauges.failed + gauges.reconnecting >= gauges.planned : gauges.subscribed > 0;
    if (!settled) return;
    this.said = true;
    this.pool.tell('talk');
    const each = (rate: number, what: string) =>
      `${formatInt(gauges.planned)} connections ${what} ${formatFixed(rate, 2)} ${what === 'publish' ? 'messages' : 'requests'}/sec each (${formatFixed(rate * gauges.planned, 1)} in all) of ${formatInt(messageSize)} bytes to their subjects`;
    if (publishRate > 0) this.ctx.log.info('Publishing', each(publishRate, 'publish'));
    if (requestRate > 0) this.ctx.log.info('Requesting', each(requestRate, 'request'));
  }
}

/** Every 250 ms the ramp's progress line, the word to start the connections' traffic and the storm watch; and --drop-all-at's storm when it is due. */
function watchConnections(
  ctx: CommandContext<ClientConfig>,
  pool: WorkerPool,
  progress: RampProgress,
  recovery: RecoveryWatch,
  population: PopulationWatch | null,
): { stop(): void } {
  const talk = new TalkStart(ctx, pool);
  const every = setInterval(() => {
    const totals = pool.totals();
    progress.update(totals);
    talk.check(totals);
    recovery.sample(ctx.io.clock.monotonicMs(), totals);
    population?.sample(totals.subscribed);
  }, 250);
  const at = ctx.config.dropAllAt;
  const storm = at === undefined ? null : setTimeout(() => dropAll(ctx, pool, recovery), at * 1000);
  return {
    stop: () => {
      clearInterval(every);
      if (storm) clearTimeout(storm);
    },
  };
}

/** --drop-all-at: every connection dropped at once, the recovery timed from now. */
function dropAll(ctx: CommandContext<ClientConfig>, pool: WorkerPool, recovery: RecoveryWatch): void {
  const g = pool.totals();
  pool.tell('drop');
  recovery.made(ctx.io.clock.monotonicMs(), g);
  ctx.log.info('Storm', `every connection dropped at once (--drop-all-at ${formatFixed(ctx.config.dropAllAt ?? 0, 1)} s): ${formatInt(g.open)} open`);
}

/**
 * Messages still in flight when the run stops (queued in the server or the sockets) are received
 * and counted: the workers are asked for what arrived every DRAIN_STEP_MS while messages keep
 * arriving, up to `drainMs`.
 */
async function drainInFlight(pool: WorkerPool, drainMs: number, clock: Clock): Promise<ClientDelta[]> {
  const got: ClientDelta[] = [];
  const until = clock.monotonicMs() + drainMs;
  while (clock.monotonicMs() < until) {
    await new Promise((r) => setTimeout(r, DRAIN_STEP_MS));
    const step = await pool.pull('snap', PULL_MS);
    got.push(...step);
    // Done when a step brought nothing and no request still waits for its reply (a server that
    // stalls for a step with requests in flight is not done: 238 of 1,454 were cut off so once).
    if (
      step.every((d) => d.latency.welford.count === 0 && (d.counters.warmupMessages ?? 0) === 0 && (d.rtt?.welford.count ?? 0) === 0 && d.requestsWaiting === 0)
    )
      break;
  }
  return got;
}

/** Forks the worker processes, each with its slice of the plan. */
function startWorkers(ctx: CommandContext<ClientConfig>, setup: ClientSetup): WorkerPool {
  const cfg = ctx.config;
  const heapMb = cfg.memory ? Math.max(64, Math.floor(cfg.memory / setup.workers)) : undefined;
  const execArgv = workerNodeArgs(ctx.io.env, [`--max-semi-space-size=${cfg.semiSpaceMb}`, ...(heapMb ? [`--max-old-space-size=${heapMb}`] : [])]);
  const protocol = { name: setup.protocol.module, options: setup.protocolOptions };
  const configs = Array.from({ length: setup.workers }, (_, k) => workerConfig(cfg, setup.plan, protocol, setup.workers, k));
  return new WorkerPool(configs, execArgv, ctx.io.env, (why) => ctx.log.error(why));
}
