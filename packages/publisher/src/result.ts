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
export function publisherProblems(o: PublisherOutcome): string[] {
  const problems: string[] = [];
  if (o.missedIntervals > 0) problems.push(`rate not held in ${o.missedIntervals} of ${o.intervals} intervals`);
  if (o.lost > 0) problems.push(`${o.lost} connection loss(es), ${o.reconnects} reconnect(s), ${formatFixed(o.downMs / 1000, 2)} s down`);
  if (o.unsentBytes > 0) problems.push(`${formatInt(o.unsentBytes)} bytes still unsent at exit`);
  if (o.unacked > 0) problems.push(`${formatInt(o.unacked)} publishes unacknowledged at exit`);
  if (o.refused > 0) problems.push(`${formatInt(o.refused)} refusals by the server (causes under Connection errors)`);
  if (o.serverErrors > 0) problems.push(`${formatInt(o.serverErrors)} errors reported by the server`);
  return problems;
}
