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
} from '@mdbench/core';
import { judgeFleet } from './fleet-thresholds.js';
import { FleetStats, clientInstances, mergeIntervals } from './merge.js';
import { expandInputs, readLogs } from './read-logs.js';

/** How often the growing logs are read again. */
const POLL_MS = 1000;

/**
 * `mdbench-report --follow FILES --dashboard HOST:PORT`: a fleet's JSON lines read again every
 * second as its instances write them (shared storage), each merged interval drawn on the live
 * dashboard once every instance's record for it is in (the newest slot waits for the next read),
 * with the thresholds judged on the fleet so far. Runs until stopped (Ctrl-C).
 */
export async function runFollow(o: {
  io: CliIo;
  log: LogWriter;
  inputs: string[];
  listen: string | undefined;
  token?: string;
  thresholds: readonly Threshold[];
  where: SourceLocation;
}): Promise<number> {
  if (!o.listen) throw new MdbenchError('MDB_CONFIG_VALUE', '--follow draws on a live page: give it --dashboard HOST:PORT', { location: o.where });
  const dashboard = await serveDashboard(o.listen, `mdbench-report --follow ${o.inputs.join(' ')}`, o.token, o.where);
  if (!dashboard) return ExitCode.CONFIG;
  o.log.info('Dashboard', dashboard.url);
  const soFar = new FleetStats();
  let lastAtMs = 0;
  const said = new Set<string>();
  const read = () => {
    let records: ReturnType<typeof readLogs>;
    try {
      records = readLogs(expandInputs(o.inputs), true);
    } catch (err) {
      // Logs not there yet, or a line not written whole: read again in a second, said once.
      const m = (err as Error).message;
      if (!said.has(m)) o.log.warn(`${m} (read again every second)`);
      said.add(m);
      return;
    }
    const runs = clientInstances(records);
    if (runs.length === 0) return;
    // The newest slot may still be missing an instance's record: it is drawn on the next read.
    const ready = mergeIntervals(runs, records)
      .slice(0, -1)
      .filter((i) => i.atMs > lastAtMs);
    for (const i of ready) {
      soFar.stats.merge(i.fleet.stats);
      dashboard.publish(dashboardPoint(i.fleet.stats, i.seconds, i.fleet.gauges, judgeFleet(o.thresholds, soFar, records), i.atMs));
      lastAtMs = i.atMs;
    }
  };
  const timer = setInterval(read, POLL_MS);
  read();
  const stopper = new StopController(o.io, 0);
  await stopper.promise;
  clearInterval(timer);
  stopper.dispose();
  dashboard.close();
  return ExitCode.OK;
}
