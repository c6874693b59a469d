import { increment, safeText, takeCounters, type Counters } from '@mdbench/core/worker';

/**
 * A worker's connection errors and refusals by cause, with the first detail of each cause, until
 * the owner takes them. Causes and details may be the server's own words: made safe for a terminal
 * and capped before they are kept.
 */
export class ErrorTally {
  private readonly errors: Counters = {};
  private details: Record<string, string> = {};

  /** An error of the connection or its session (`cause` a code or the server's word). */
  error(rawCause: string, detail?: string): void {
    const cause = safeText(rawCause, 80);
    increment(this.errors, cause);
    if (detail !== undefined) this.describe(cause, detail);
  }

  /** The server refused a login or a subscription: the cause's first detail is kept (the refusal itself is a counter of the sink's). */
  refusal(rawCause: string, detail: string): void {
    this.describe(safeText(rawCause, 80), detail);
  }

  private describe(cause: string, detail: string): void {
    if (!Object.hasOwn(this.details, cause)) this.details[cause] = safeText(detail);
  }

  /** Errors and refusal details since the last take. */
  take(): { errors: Counters; refusals: Record<string, string> } {
    const out = { errors: takeCounters(this.errors), refusals: this.details };
    this.details = {};
    return out;
  }
}
