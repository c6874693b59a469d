import { writeFileSync } from 'node:fs';
import { ExitCode, MdbenchError, type LogWriter } from '@mdbench/core';
import { clientInstances, mergeIntervals, mergeSummaries } from './merge.js';
import { expandInputs, readLogs } from './read-logs.js';
import { compareRuns, comparisonText, type CompareOptions, type RunData } from './compare.js';
import { renderCompareHtml } from './compare-html.js';

/** A set of logs (baseline or candidate) merged into one fleet result. */
function fleetOf(inputs: string[], what: string): RunData & { files: string[] } {
  const files = expandInputs(inputs);
  const records = readLogs(files);
  const runs = clientInstances(records);
  if (runs.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', `no mdbench-client records in the ${what} (${files.join(', ')})`);
  return { fleet: mergeSummaries(runs), intervals: mergeIntervals(runs, records), files };
}

/**
 * `mdbench-report compare --baseline BASE... CANDIDATE...`: prints each metric of the two merged
 * results with the difference, its 95% interval and the verdict; exit 98 when any metric regressed.
 */
export function runCompare(log: LogWriter, baselineInputs: string[], candidateInputs: string[], o: CompareOptions & { html?: string }): number {
  if (baselineInputs.length === 0)
    throw new MdbenchError('MDB_REPORT_INPUT', "compare needs --baseline FILES (the earlier run's logs) and the candidate's logs");
  if (candidateInputs.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', "compare needs the candidate's logs after the options");
  const base = fleetOf(baselineInputs, 'baseline');
  const cand = fleetOf(candidateInputs, 'candidate');
  const rows = compareRuns(base, cand, o);
  log.info(
    'Compare',
    `baseline ${base.files.join(', ')} against candidate ${cand.files.join(', ')}; a regression is worse with 95% confidence (latency: batch means over the report intervals), by more than ${o.tolerancePct}% (and ${o.minEffectMs} ms for times)`,
  );
  for (const r of rows) log.info(r.metric, comparisonText(r));
  const regressions = rows.filter((r) => r.regression).map((r) => r.metric);
  if (o.html) {
    writeFileSync(o.html, renderCompareHtml(base.fleet, cand.fleet, rows, base.files, cand.files));
    log.info('HTML report', o.html);
  }
  log.info('Verdict', regressions.length ? `regression: ${regressions.join(', ')}` : 'no regression');
  return regressions.length ? ExitCode.REGRESSION : ExitCode.OK;
}
