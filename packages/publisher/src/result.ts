import { formatFixed, formatInt } from '@mdbench/core/internal';

/** How a publisher run ended, as the `Result` line judges it. */
export interface PublisherOutcome {
  /** Intervals whose achieved rate was more than 1% off the target, of how many. */
  missedIntervals: number;
  intervals: number;
  /** Connections lost, reconnects, and the time spent down (ms). */
  lost: number;
  reconnects: number;
  downMs: number;
  /** Bytes the sockets still held and QoS 1 publishes still unacknowledged at exit. */
  unsentBytes: number;
  unacked: number;
  refused: number;
  serverErrors: number;
}

/** What went wrong in a publisher run, one phrase each, for the `Result` line and the exit code. */
export function publisherProblems(outcome: PublisherOutcome): string[] {
  const problems: string[] = [];
  if (outcome.missedIntervals > 0) problems.push(`rate not held in ${outcome.missedIntervals} of ${outcome.intervals} intervals`);
  if (outcome.lost > 0)
    problems.push(`${outcome.lost} connection loss(es), ${outcome.reconnects} reconnect(s), ${formatFixed(outcome.downMs / 1000, 2)} s down`);
  if (outcome.unsentBytes > 0) problems.push(`${formatInt(outcome.unsentBytes)} bytes still unsent at exit`);
  if (outcome.unacked > 0) problems.push(`${formatInt(outcome.unacked)} publishes unacknowledged at exit`);
  if (outcome.refused > 0) problems.push(`${formatInt(outcome.refused)} refusals by the server (causes under Connection errors)`);
  if (outcome.serverErrors > 0) problems.push(`${formatInt(outcome.serverErrors)} errors reported by the server`);
  return problems;
}
