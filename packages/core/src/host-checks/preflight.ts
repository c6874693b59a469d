import { ExitCode, MdbenchError } from '../errors.js';
import type { HostView } from '../system/host-view.js';
import { preflightFindings } from './examine.js';
import type { HostPlan } from './finding.js';

/**
 * A tool's pre-flight: the host checks of its plan. A failing check refuses the run (exit 3, the
 * fix as hint); the warnings come back as lines, each with its fix.
 */
export function preflight(host: HostView, plan: HostPlan): string[] {
  const findings = preflightFindings(host, plan);
  const fail = findings.find((f) => f.level === 'fail');
  if (fail) throw new MdbenchError('MDB_PREFLIGHT', fail.detail, { exitCode: ExitCode.PREFLIGHT, hint: fail.fix });
  return findings.map((f) => `${f.detail}${f.fix ? `; fix: ${f.fix}` : ''}`);
}
