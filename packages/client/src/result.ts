import { formatInt, type ClientGauges, type ClientStats } from '@mdbench/core/internal';
import { backlogText, type Backlog } from './backlog.js';

/**
 * What went wrong in a run, one phrase each, for the `Result` line and the exit code: connections
 * that failed or were not open at the end (but in the open model, --arrival-rate), refusals and errors reported by the server, messages
 * lost or malformed, a worker that died.
 */
export function clientProblems(gauges: ClientGauges, run: ClientStats, lostWorker: string | null, backlog: Backlog | null = null, openModel = false): string[] {
  const problems: string[] = [];
  if (gauges.failed > 0) problems.push(`${formatInt(gauges.failed)} connections failed`);
  // The open model's planned count is a ceiling, not a population to reach.
  const notOpen = openModel ? 0 : gauges.planned - gauges.open - gauges.failed;
  if (notOpen > 0) problems.push(`${formatInt(notOpen)} of ${formatInt(gauges.planned)} planned connections not open at the end`);
  // The open model's latest arrivals may still be in their handshake at the end.
  const notSubscribed = openModel ? 0 : gauges.open - gauges.subscribed;
  if (notSubscribed > 0 && notOpen <= 0) problems.push(`${formatInt(notSubscribed)} open connections not subscribed at the end`);
  if (run.count('refused') > 0) problems.push(`${formatInt(run.count('refused'))} refusals by the server (causes under Connection errors)`);
  if (run.count('serverErrors') > 0) problems.push(`${formatInt(run.count('serverErrors'))} errors reported by the server`);
  if (run.count('gaps') > 0) problems.push(`${formatInt(run.count('gaps'))} messages lost`);
  if (run.count('malformed') > 0) problems.push(`${formatInt(run.count('malformed'))} malformed frames`);
  if (lostWorker) problems.push(lostWorker);
  if (backlog) problems.push(`the server did not keep up: ${backlogText(backlog)}`);
  return problems;
}
