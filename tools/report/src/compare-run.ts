import { writeFileSync } from 'node:fs';
import { ExitCode, MdbenchError, type LogWriter } from '@mdbench/core/internal';
import { clientInstances, mergeIntervals, mergeSummaries } from './merge.js';
import { expandInputs, readLogs } from './read-logs.js';
import { MIN_RUNS, compareRunSets, compareRuns, comparisonText, type CompareOptions, type RunData } from './compare.js';
import { renderCompareHtml } from './compare-html.js';

/** A set of logs (one run of a fleet, whatever its files) merged into one fleet result. */
function runOf(files: string[], what: string): RunData & { files: string[] } {
  const records = readLogs(files);
  const runs = clientInstances(records);
  if (runs.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', `no mdbench-client records in the ${what} (${files.join(', ')})`);
  return { fleet: mergeSummaries(runs), intervals: mergeIntervals(runs, records), files };
}

/**
 * A side's runs: each input (a file, a glob, a comma-separated item) is a run; the inputs are one
 * fleet's run when no client instance number repeats among them (its instances' logs); an input
 * whose own files repeat an instance number is a run per file.
 */
function runsOf(inputs: string[], what: string): (RunData & { files: string[] })[] {
  const groups = inputs.map((i) => expandInputs([i]));
  const instancesOf = (files: string[]) => clientInstances(readLogs(files)).map((r) => r.instance);
  const distinct = (xs: number[]) => new Set(xs).size === xs.length;
  if (distinct(instancesOf(groups.flat()))) return [runOf(groups.flat(), what)];
  return groups.flatMap((files) => (distinct(instancesOf(files)) ? [runOf(files, what)] : files.map((f) => runOf([f], what))));
}

/** Merges a side's runs into one (for the one-run comparison). */
function merged(runs: (RunData & { files: string[] })[], what: string): RunData & { files: string[] } {
  return runs.length === 1
    ? runs[0]
    : runOf(
        runs.flatMap((r) => r.files),
        what,
      );
}

/**
 * `mdbench-report compare --baseline BASE... CANDIDATE...`: prints each metric of the two merged
 * results with the difference, its 95% interval and the verdict; exit 98 when any metric regressed.
 */
export function runCompare(log: LogWriter, baselineInputs: string[], candidateInputs: string[], o: CompareOptions & { html?: string }): number {
  if (baselineInputs.length === 0)
    throw new MdbenchError('MDB_REPORT_INPUT', "compare needs --baseline FILES (the earlier run's logs) and the candidate's logs");
  if (candidateInputs.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', "compare needs the candidate's logs after the options");
  const bases = runsOf(baselineInputs, 'baseline');
  const cands = runsOf(candidateInputs, 'candidate');
  const between = bases.length >= 2 && cands.length >= 2;
  const base = merged(bases, 'baseline');
  const cand = merged(cands, 'candidate');
  const rows = between ? compareRunSets(bases, cands, o) : compareRuns(base, cand, o);
  const how = between
    ? `${bases.length} baseline and ${cands.length} candidate runs: judged by the variance between runs, each figure at 98.3% so that all six together hold 95%`
    : 'latency: batch means over the report intervals, called only where the two runs separate';
  log.info(
    'Compare',
    `baseline ${base.files.join(', ')} against candidate ${cand.files.join(', ')}; a regression is worse with 95% confidence (${how}), by more than ${o.tolerancePct}% (and ${o.minEffectMs} ms for times)`,
  );
  if (!between)
    log.info(
      'Noise',
      `run-to-run noise is unknown with ${bases.length} baseline and ${cands.length} candidate run(s); ${MIN_RUNS} runs a side would measure it: compare --baseline "base-1.jsonl,base-2.jsonl,base-3.jsonl" new-1.jsonl new-2.jsonl new-3.jsonl`,
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
