import {
  ExitCode,
  MdbenchError,
  StopController,
  dashboardPoint,
  serveDashboard,
  type CliIo,
  type LogWriter,
  type SourceLocation,
  type Threshold,
} from '@mdbench/core/internal';
import { judgeFleet } from './fleet-thresholds.js';
import { FleetStats, type SlotGrid, clientInstances, gridOf, mergeIntervals } from './merge.js';
import { LogFollower } from './log-follower.js';
import { expandInputs } from './read-logs.js';

/** How often the growing logs are read again. */
const POLL_MS = 1000;

/** Intervals (past each instance's first) written before the slot grid is fixed and anything drawn. */
const GRID_SAMPLES = 4;

/**
 * `mdbench-report --follow FILES --dashboard HOST:PORT`: a fleet's JSON lines read every second as
 * its instances write them (shared storage), from where the last read ended, each merged interval
 * drawn on the live dashboard (the newest slot waits for the next read; a slot an instance wrote to
 * late is drawn again), with the thresholds judged on the fleet so far and its latest gauges. Runs
 * until stopped (Ctrl-C).
 */
export async function runFollow(options: {
  io: CliIo;
  log: LogWriter;
  inputs: string[];
  listen: string | undefined;
  token?: string;
  thresholds: readonly Threshold[];
  where: SourceLocation;
}): Promise<number> {
  if (!options.listen) throw new MdbenchError('MDB_CONFIG_VALUE', '--follow draws on a live page: give it --dashboard HOST:PORT', { location: options.where });
  const dashboard = await serveDashboard(options.listen, `mdbench-report --follow ${options.inputs.join(' ')}`, options.token, options.where);
  if (!dashboard) return ExitCode.CONFIG;
  options.log.info('Dashboard', dashboard.url);
  const follower = new LogFollower((m) => options.log.warn(m));
  const drawn = new Map<number, string>();
  let grid: SlotGrid | null = null;
  const said = new Set<string>();
  const read = () => {
    try {
      follower.read(expandInputs(options.inputs));
    } catch (err) {
      // No log there yet: read again in a second, said once.
      const m = (err as Error).message;
      if (!said.has(m)) options.log.warn(`${m} (read again every second)`);
      said.add(m);
      return;
    }
    const records = follower.records;
    const runs = clientInstances(records);
    if (runs.length === 0) return;
    // The newest slot may still be missing an instance's record: it is drawn on the next read. A
    // slot drawn before that changed since (an instance that lagged wrote its record late) is drawn
    // again, corrected, and the figures so far follow.
    // The grid is fixed by the first read: slots keep their times as records arrive (a median
    // length or an origin computed again would move every slot a little and draw each twice).
    // Fixed once the instances have written 4 intervals past their first: by then every instance
    // started together has written, so the origin is the earliest start (one fixed from the first
    // instance alone put a later one's records two to a slot), and older logs without intervalS
    // have lengths enough for a median. Nothing is drawn before.
    if (!grid && runs.reduce((n, r) => n + Math.max(0, r.intervals.length - 1), 0) >= GRID_SAMPLES) grid = gridOf(runs);
    if (!grid) return;
    const slots = mergeIntervals(runs, records, grid).slice(0, -1);
    const soFar = new FleetStats();
    for (const i of slots) {
      soFar.stats.merge(i.fleet.stats);
      const signature = `${i.fleet.stats.count('messages')}/${i.fleet.stats.latency.welford.count}/${JSON.stringify(i.fleet.gauges)}`;
      if (drawn.get(i.atMs) === signature) continue;
      drawn.set(i.atMs, signature);
      const judged = judgeFleet(options.thresholds, { stats: soFar.stats, gauges: i.fleet.gauges }, records);
      dashboard.publish(dashboardPoint(i.fleet.stats, i.seconds, i.fleet.gauges, judged, i.atMs));
    }
  };
  const timer = setInterval(read, POLL_MS);
  read();
  const stopper = new StopController(options.io, 0);
  await stopper.promise;
  clearInterval(timer);
  stopper.dispose();
  dashboard.close();
  return ExitCode.OK;
}
