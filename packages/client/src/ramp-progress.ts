import { formatFixed, formatInt, type ClientGauges, type Clock, type LogWriter, type Spinner } from '@mdbench/core/internal';

/** The ramp's live line: open / planned, the rate over the last second and the time left at that rate. */
function rampLine(g: ClientGauges, ratePerSec: number): string {
  const pct = g.planned > 0 ? (100 * g.open) / g.planned : 100;
  const left = ratePerSec > 0 ? Math.max(0, g.planned - g.open - g.failed) / ratePerSec : Infinity;
  return (
    `connecting: ${formatInt(g.open)} / ${formatInt(g.planned)} open (${formatFixed(pct, 1)}%), ${formatInt(g.subscribed)} subscribed, ` +
    `${formatInt(ratePerSec)} conn/s, ${Number.isFinite(left) ? `${formatFixed(left, 0)} s left` : 'time left unknown'}` +
    `${g.failed ? `, ${formatInt(g.failed)} failed` : ''}${g.reconnecting ? `, ${formatInt(g.reconnecting)} waiting to reconnect` : ''}`
  );
}

/**
 * Watches the ramp: on a terminal, a live line (spinner) with progress, rate and time left; once
 * every planned connection is open (or failed) and subscribed, one `Connected` log line with the
 * ramp's span and rates, measured over all workers from their first connect attempt.
 */
export class RampProgress {
  private readonly log: LogWriter;
  private readonly spinner: Spinner | null;
  private readonly clock: Clock;
  private done = false;
  private lastOpen = 0;
  private lastMs: number;
  private rate = 0;

  constructor(log: LogWriter, spinner: Spinner | null, clock: Clock) {
    this.log = log;
    this.spinner = spinner;
    this.clock = clock;
    this.lastMs = clock.monotonicMs();
  }

  get finished(): boolean {
    return this.done;
  }

  /** Called every few hundred ms with the workers' gauges. */
  update(g: ClientGauges): void {
    if (this.done) return;
    const now = this.clock.monotonicMs();
    if (now - this.lastMs >= 1000) {
      this.rate = ((g.open - this.lastOpen) * 1000) / (now - this.lastMs);
      this.lastOpen = g.open;
      this.lastMs = now;
    }
    this.spinner?.update(rampLine(g, this.rate));
    if (g.planned === 0 || g.open + g.failed < g.planned || g.subscribed < g.open) return;
    this.done = true;
    this.spinner?.stop();
    // The ramp's span: first connect attempt to last subscription acknowledged, over all workers (epoch ms).
    const s = Math.max(1e-3, (Math.max(g.lastSubscribedMs, g.lastOpenMs) - g.firstConnectMs) / 1000);
    const hs = g.lastOpenMs > g.firstConnectMs ? (g.lastOpenMs - g.firstConnectMs) / 1000 : s;
    this.log.info(
      'Connected',
      `${formatInt(g.open)} open, ${formatInt(g.subscribed)} subscribed, ${formatInt(g.failed)} failed in ${formatFixed(s, 2)} s ` +
        `(${formatFixed(g.open / s, 0)} connections/s; handshakes alone ${formatFixed(g.open / hs, 0)}/s)`,
    );
  }

  /** Clears the live line before a block is written. */
  clear(): void {
    this.spinner?.clear();
  }

  stop(): void {
    this.spinner?.stop();
  }
}
