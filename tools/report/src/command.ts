import { writeFileSync } from 'node:fs';
import { LatencyStats, MdbenchError, countsText, formatFixed, formatInt, formatMs, latencyBlock, packageVersion, type CommandDef, type ReportLine } from '@mdbench/core';
import { expandInputs, readLogs } from './read-logs.js';
import { clientInstances, mergeIntervals, mergeSummaries, type MergedClient } from './merge.js';
import { instanceRows, instanceTableText } from './instance-table.js';
import { renderHtml } from './html.js';

const version = packageVersion(import.meta.url);

interface ReportConfig {
  html?: string;
  json?: string;
}

/** The aggregate block: the article's lines over the whole fleet, then integrity and connections. */
export function aggregateBlock(total: MergedClient): ReportLine[] {
  const lines = latencyBlock(total.latency, total.seconds, total.count('messages'), total.seconds > 0 ? total.count('messages') / total.seconds : 0);
  lines.push(
    ['Integrity', `${formatInt(total.count('gaps'))} lost (gaps), ${formatInt(total.count('duplicates'))} duplicates, ${formatInt(total.count('outOfOrder'))} out of order`],
    ['Connections', `${formatInt(total.gauges.open ?? 0)} open, ${formatInt(total.gauges.subscribed ?? 0)} subscribed, ${formatInt(total.gauges.failed ?? 0)} failed, ${formatInt(total.gauges.planned ?? 0)} planned`],
    ['Connection errors', countsText(total.errors)],
  );
  return lines;
}

export const reportCommand: CommandDef = {
  name: 'mdbench-report',
  version,
  description: 'Merges the JSON-lines logs of every mdbench-client and mdbench-publisher instance exactly (Welford merge, histogram addition) and prints the fleet\'s statistics, a per-instance table that flags instances that differ, and optionally an offline HTML report.',
  positional: { name: 'logs', description: 'JSON-lines files written with --json, or globs such as logs/client-*.jsonl' },
  specs: [
    { name: 'html', flag: 'html', type: 'file', arg: 'FILE', description: 'write a self-contained HTML report with charts' },
    { name: 'json', flag: 'json', type: 'file', arg: 'FILE', description: 'write the merged whole-run record as JSON' },
  ],
  helpAfter: 'Example: mdbench-report logs/*.jsonl --html report.html',
  async run(ctx) {
    const cfg = ctx.config as ReportConfig;
    const files = expandInputs(ctx.args);
    const records = readLogs(files);
    const runs = clientInstances(records);
    if (runs.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', `no mdbench-client records in ${files.join(', ')}`);
    const total = mergeSummaries(runs);
    const missing = runs.filter((r) => !r.summary);
    for (const r of missing) ctx.warn(`${r.file}: no summary record (the run was cut short); its intervals are still merged over time`);
    const intervals = mergeIntervals(runs);
    const rows = instanceRows(runs);
    const block = aggregateBlock(total);
    ctx.log.info('Fleet', `${runs.length} client instance(s) from ${files.length} file(s)`);
    ctx.log.block(block);
    const pubs = records.filter((r) => r.tool === 'mdbench-publisher' && r.type === 'summary');
    if (pubs.length) {
      const lag = new LatencyStats();
      for (const p of pubs) lag.mergeWire(p.lag);
      const sent = pubs.reduce((a, p) => a + p.totalSent, 0);
      const rate = pubs.reduce((a, p) => a + p.totalSent / p.seconds, 0);
      ctx.log.info('Publishers', `${pubs.length} instance(s), ${formatInt(sent)} messages, ${formatFixed(rate, 2)} messages/sec, schedule lag p99 ${formatMs(lag.percentileUs(99))}, max ${formatMs(lag.welford.max)}`);
    }
    for (const line of instanceTableText(rows)) ctx.log.info('Instances', line);
    for (const r of rows.filter((x) => x.flags.length)) ctx.log.warn(`instance ${r.instance} (${r.host}) differs: ${r.flags.join(', ')}`);
    if (cfg.html) {
      writeFileSync(cfg.html, renderHtml({ title: `mdbench report: ${runs.length} client instance(s)`, block, total, intervals, rows, sources: files }));
      ctx.log.info('HTML report', cfg.html);
    }
    if (cfg.json) {
      writeFileSync(cfg.json, `${JSON.stringify({ type: 'fleet', v: 1, tool: 'mdbench-report', version, instances: runs.length, latency: total.latency.toWire(), latencyOther: total.latencyOther.toWire(), counters: total.counters, errors: total.errors, gauges: total.gauges, seconds: total.seconds, rows })}\n`);
    }
    return 0;
  },
};
