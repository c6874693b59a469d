import { writeFileSync } from 'node:fs';
import {
  ExitCode,
  MdbenchError,
  clientBlock,
  defineCommand,
  defineOptions,
  formatFixed,
  formatInt,
  formatMs,
  originOf,
  packageVersion,
  parseThresholds,
  thresholdSpecs,
  verdictText,
  type ReportLine,
  type CommandDef,
} from '@mdbench/core/internal';
import { expandInputs, isServer, readLogs, type LogRecord } from './read-logs.js';
import { clientInstances, mergeIntervals, mergeSummaries, type FleetStats, type MergedInterval } from './merge.js';
import { instanceRows, instanceTableText } from './instance-table.js';
import { renderHtml } from './html.js';
import { REPORT_THRESHOLD_METRICS, judgeFleet, publisherTotals } from './fleet-thresholds.js';
import { runCompare } from './compare-run.js';
import { runFollow } from './follow.js';
import { deliveryFailed, deliveryText, reconcile } from './reconcile.js';
import { fleetRecoveries, fleetRecoveryText } from './recoveries.js';

const version = packageVersion(import.meta.url);

/** The fleet's block: the article's lines over every instance merged exactly; Frequency over the time messages flowed. */
function aggregateBlock(fleet: FleetStats): ReportLine[] {
  const s = fleet.stats;
  return clientBlock({
    stats: s,
    uptimeS: fleet.seconds,
    messagesPerSec: s.flowRatePerSec,
    messagesPerSecNote: `over the ${formatFixed(s.flowSeconds, 1)} s from the fleet's first message to its last`,
    gauges: fleet.gauges,
    otherStamp: 'sent',
    loop: { p99Ms: s.loopP99Ms, maxMs: s.loopMaxMs },
  });
}

/** The fleet's traffic: the mean and the peak of the per-interval sums (each host's interface once). */
function bandwidthLine(intervals: MergedInterval[]): [string, string] | null {
  const with_ = intervals.filter((i) => i.bandwidth);
  if (with_.length === 0) return null;
  const mb = (b: number) => `${formatFixed(b / 1e6, 2)} MB/s`;
  const mean = (k: 'inBytesPerSec' | 'outBytesPerSec') => with_.reduce((a, i) => a + (i.bandwidth?.[k] ?? 0), 0) / with_.length;
  const peak = (k: 'inBytesPerSec' | 'outBytesPerSec') => Math.max(...with_.map((i) => i.bandwidth?.[k] ?? 0));
  return [
    'Bandwidth',
    `in ${mb(mean('inBytesPerSec'))}, out ${mb(mean('outBytesPerSec'))} on average over ${with_.length} intervals (peak in ${mb(peak('inBytesPerSec'))}, out ${mb(peak('outBytesPerSec'))}), every host's interface once`,
  ];
}

/** The publishers' and servers' totals, one line each. */
function otherLines(records: LogRecord[], intervals: MergedInterval[]): [string, string][] {
  const out: [string, string][] = [];
  const bw = bandwidthLine(intervals);
  if (bw) out.push(bw);
  const pub = publisherTotals(records);
  if (pub.count) {
    out.push([
      'Publishers',
      `${pub.count} instance(s), ${formatInt(pub.sent)} messages, ${formatFixed(pub.ratePerSec, 2)} messages/sec, schedule lag p99 ${formatMs(pub.lag.percentileUs(99))}, max ${formatMs(pub.lag.welford.max)}`,
    ]);
  }
  const servers = records.filter(isServer).filter((r) => r.type === 'summary');
  if (servers.length) {
    const sum = (k: string) => servers.reduce((a, s) => a + (s.totals[k] ?? 0), 0);
    out.push([
      'Servers',
      `${servers.length} instance(s), ${formatInt(sum('messagesIn'))} messages in, ${formatInt(sum('messagesOut'))} out, ${formatInt(sum('slowDrops'))} dropped for slow consumers`,
    ]);
  }
  return out;
}

export const reportCommand: CommandDef = defineCommand({
  name: 'mdbench-report',
  version,
  description:
    "Merges the JSON-lines logs of every mdbench-client, mdbench-publisher and mdbench-server instance exactly (Welford merge, histogram addition) and prints the fleet's statistics, a per-instance table that flags instances that differ, and optionally an offline HTML report.",
  positional: { name: 'logs', description: 'JSON-lines files written with --json, or globs such as logs/client-*.jsonl' },
  specs: defineOptions([
    { name: 'html', flag: 'html', type: 'file', arg: 'FILE', group: 'output', description: 'write a self-contained HTML report with charts' },
    { name: 'json', flag: 'json', type: 'file', arg: 'FILE', group: 'output', description: 'write the merged whole-run record as JSON' },
    ...thresholdSpecs,
    {
      name: 'follow',
      flag: 'follow',
      type: 'bool',
      default: false,
      group: 'live',
      description: 'read the logs again every second as the fleet writes them (shared storage) and draw the merged intervals on --dashboard until stopped',
    },
    {
      name: 'dashboard',
      flag: 'dashboard',
      type: 'string',
      arg: 'HOST:PORT',
      group: 'live',
      description: 'with --follow: the live page\'s address (":8080" is 127.0.0.1:8080)',
    },
    {
      name: 'token',
      flag: 'token',
      type: 'string',
      arg: 'TOKEN',
      secret: true,
      group: 'live',
      description: 'with --follow: the live page asks for it (?token=TOKEN)',
    },
    {
      name: 'baseline',
      flag: 'baseline',
      type: 'string',
      arg: 'FILES',
      group: 'compare',
      description:
        "compare: the earlier run's logs (comma-separated files or globs); the candidate's follow the options: mdbench-report compare --baseline \"base/*.jsonl\" new/*.jsonl. Several runs a side (a file, or a glob of one fleet's logs, per run): judged by the variance between runs",
    },
    {
      name: 'tolerance',
      flag: 'tolerance',
      type: 'number',
      min: 0,
      default: 10,
      arg: 'PERCENT',
      group: 'compare',
      description: 'compare: a metric worse with 95% confidence is a regression only beyond this change, percent',
    },
    {
      name: 'minEffect',
      flag: 'min-effect',
      type: 'number',
      min: 0,
      default: 1,
      arg: 'MS',
      group: 'compare',
      description: 'compare: nor is a time worse by less than this (run-to-run noise)',
    },
  ]),
  example: 'mdbench-report logs/*.jsonl --html report.html; mdbench-report compare --baseline "base/*.jsonl" new/*.jsonl',
  exitCodes: [ExitCode.OK, ExitCode.RUN_ERRORS, ExitCode.CONFIG, ExitCode.INTERNAL, ExitCode.REGRESSION, ExitCode.THRESHOLDS],
  async run(ctx) {
    const cfg = ctx.config;
    if (ctx.args[0] === 'compare') {
      const baseline = (cfg.baseline ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      return runCompare(ctx.log, baseline, ctx.args.slice(1), { tolerancePct: cfg.tolerance, minEffectMs: cfg.minEffect, html: cfg.html });
    }
    const thresholds = parseThresholds(cfg.thresholds ?? '', REPORT_THRESHOLD_METRICS, originOf(ctx.resolved, 'thresholds'));
    if (cfg.follow)
      return runFollow({
        io: ctx.io,
        log: ctx.log,
        inputs: ctx.args,
        listen: cfg.dashboard,
        token: cfg.token,
        thresholds,
        where: originOf(ctx.resolved, 'dashboard'),
      });
    const files = expandInputs(ctx.args);
    const records = readLogs(files);
    const runs = clientInstances(records);
    if (runs.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', `no mdbench-client records in ${files.join(', ')}`);
    const fleet = mergeSummaries(runs);
    for (const r of runs.filter((x) => !x.summary)) ctx.warn(`${r.file}: no summary record (the run was cut short); its intervals are still merged over time`);
    const intervals = mergeIntervals(runs, records);
    const rows = instanceRows(runs);
    const block = aggregateBlock(fleet);
    ctx.log.info('Fleet', `${runs.length} client instance(s) from ${files.length} file(s)`);
    ctx.log.block(block);
    for (const [k, v] of otherLines(records, intervals)) ctx.log.info(k, v);
    for (const line of instanceTableText(rows)) ctx.log.info('Instances', line);
    for (const r of rows.filter((x) => x.flags.length)) ctx.log.warn(`instance ${r.instance} (${r.host}) differs: ${r.flags.join(', ')}`);
    for (const r of fleetRecoveries(runs)) ctx.log.info('Recovery', fleetRecoveryText(r));
    const delivery = reconcile(records, runs);
    if (delivery) ctx.log.info('Delivery', deliveryText(delivery));
    const undelivered = delivery !== null && deliveryFailed(delivery);
    const verdicts = judgeFleet(thresholds, fleet, records);
    for (const v of verdicts) ctx.log.info('Threshold', verdictText(v));
    if (cfg.html) {
      writeFileSync(
        cfg.html,
        renderHtml({ title: `mdbench report: ${runs.length} client instance(s)`, block, fleet, intervals, rows, runs, records, sources: files, verdicts }),
      );
      ctx.log.info('HTML report', cfg.html);
    }
    if (cfg.json) {
      const s = fleet.stats;
      writeFileSync(
        cfg.json,
        `${JSON.stringify({ type: 'fleet', v: 1, tool: 'mdbench-report', version, instances: runs.length, ...s.toWire(), flowRatePerSec: s.flowRatePerSec, gauges: fleet.gauges, seconds: fleet.seconds, rows, ...(delivery ? { delivery } : {}), ...(verdicts.length ? { thresholds: verdicts } : {}) })}\n`,
      );
    }
    if (undelivered) ctx.log.info('Result', `FAILED: ${formatInt(delivery.undelivered)} messages undelivered`);
    if (verdicts.some((v) => !v.passed)) return ExitCode.THRESHOLDS;
    return undelivered ? ExitCode.RUN_ERRORS : ExitCode.OK;
  },
});
