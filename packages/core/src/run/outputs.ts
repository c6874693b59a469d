import type { Clock } from '../clock.js';
import { HlogWriter } from '../report/hlog-writer.js';
import { JsonLinesWriter } from '../report/json-lines.js';
import type { LogWriter } from '../report/log-writer.js';
import type { OutputFile } from '../report/output-file.js';
import type { RunScope } from './run-scope.js';

/** A run's output files: JSON lines (--json) and HdrHistogram's log (--hlog), each when asked for. */
export interface RunOutputs {
  json: JsonLinesWriter | null;
  hlog: HlogWriter | null;
  /** Both, for the Result line and the exit code (a file not written whole is exit 5, ExitCode.OUTPUT). */
  files: (OutputFile | undefined)[];
}

/**
 * Opens the output files before anything starts, so a path that cannot be written is exit 2 before
 * a socket is opened; they are closed with the run's scope, after its summary.
 */
export function openOutputs(cfg: { json?: string; hlog?: string }, hlogComment: string, scope: RunScope, log: LogWriter, clock: Clock): RunOutputs {
  const onFail = (m: string) => log.error(m);
  const json = scope.hold('JSON-lines file', cfg.json ? new JsonLinesWriter(cfg.json, onFail) : null, (w) => w.close());
  const hlog = scope.hold('histogram log', cfg.hlog ? new HlogWriter(cfg.hlog, Math.floor(clock.nowUs() / 1000), hlogComment, onFail) : null, (w) => w.close());
  return { json, hlog, files: [json?.file, hlog?.file] };
}
