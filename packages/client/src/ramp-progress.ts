import { formatFixed, formatInt, type ClientGauges, type Clock, type LogWriter, type Spinner } from '@mdbench/core/internal';

/** The ramp's live line: open / planned, the rate over the last second and the time left at that rate. */
function rampLine(gauges: ClientGauges, ratePerSec: number): string {
  const pct = gauges.planned > 0 ? (100 * gauges.open) / gauges.planned : 100;
  const left = ratePerSec > 0 ? Math.max(0, gauges.planned - gauges.open - gauges.failed) / ratePerSec : Infinity;
  return (
    `connecting: ${formatInt(gauges.open)} / ${formatInt(gauges.planned)} open (${formatFixed(pct, 1)}%), ${formatInt(gauges.subscribed)} subscribed, ` +
    `${formatInt(ratePerSec)} conn/s, ${Number.isFinite(left) ? `${formatFixed(left, 0)} s left` : 'time left unknown'}` +
    `${gauges.failed ? `, ${formatInt(gauges.failed)} failed` : ''}${gauges.reconnecting ? `, ${formatInt(gauges.reconnecting)} waiting to reconnect` : ''}`
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
  update(gauges: ClientGauges): void {
    if (this.done) return;
    const now = this.clock.monotonicMs();
    if (now - this.lastMs >= 1000) {
      this.rate = ((gauges.open - this.lastOpen) * 1000) / (now - this.lastMs);
      this.lastOpen = gauges.open;
      this.lastMs = now;
    }
    this.spinner?.update(rampLine(gauges, this.rate));
    if (gauges.planned === 0 || gauges.open + gauges.failed < gauges.planned || gauges.subscribed < gauges.open) return;
    this.done = true;
    this.spinner?.stop();
    // The ramp's span: first connect attempt to last subscription acknowledged, over all workers (epoch ms).
    const s = Math.max(1e-3, (Math.max(gauges.lastSubscribedMs, gauges.lastOpenMs) - gauges.firstConnectMs) / 1000);
    const hs = gauges.lastOpenMs > gauges.firstConnectMs ? (gauges.lastOpenMs - gauges.firstConnectMs) / 1000 : s;
    this.log.info(
      'Connected',
      `${formatInt(gauges.open)} open, ${formatInt(gauges.subscribed)} subscribed, ${formatInt(gauges.failed)} failed in ${formatFixed(s, 2)} s ` +
        `(${formatFixed(gauges.open / s, 0)} connections/s; handshakes alone ${formatFixed(gauges.open / hs, 0)}/s)`,
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
