import type { StopReason } from '../cli/stop.js';
import { ExitCode } from '../errors.js';
import type { LogWriter } from '../report/log-writer.js';
import { type OutputFile, exitWithOutputs, outputProblems } from '../report/output-file.js';
import type { Verdict } from '../thresholds/threshold.js';

/** The Stopped line: why the run ended (`done` says what the run finished, if it can finish). */
export function stoppedText(reason: StopReason, done = 'done'): string {
  if (reason === 'duration') return 'duration reached';
  if (reason === 'thresholds') return 'thresholds crossed (--abort-on-fail)';
  if (reason === 'done') return done;
  return reason;
}

/**
 * The end of every run: the Result line and the exit code from the one table: a crossed threshold
 * 99, an output file not written whole 6, any other problem of the run 1, else 0.
 */
export function runOutcome(
  log: LogWriter,
  o: { problems: string[]; verdicts?: readonly Verdict[]; files: readonly (OutputFile | null | undefined)[]; okText?: string },
): number {
  const problems = [...o.problems, ...outputProblems(o.files)];
  const crossed = (o.verdicts ?? []).filter((v) => !v.passed).map((v) => v.threshold);
  if (crossed.length) problems.push(`thresholds crossed: ${crossed.join(', ')}`);
  log.info('Result', problems.length ? `errors: ${problems.join(', ')}` : (o.okText ?? 'ok'));
  return exitWithOutputs(crossed.length ? ExitCode.THRESHOLDS : problems.length ? ExitCode.RUN_ERRORS : ExitCode.OK, o.files);
}
