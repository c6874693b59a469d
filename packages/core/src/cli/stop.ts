import type { CliIo } from './command.js';

/** Why a run ended. */
export type StopReason = 'duration' | 'SIGINT' | 'SIGTERM' | 'done' | 'failed' | 'thresholds';

/**
 * Resolves when the run should stop: after `durationS` seconds (0: never), on SIGINT or SIGTERM, or
 * when `stopper.stop(reason)` is called. A second signal while stopping is ignored, so the final
 * summary always gets written.
 */
export class StopController {
  readonly promise: Promise<StopReason>;
  reason: StopReason | null = null;
  private resolve!: (r: StopReason) => void;
  private timer: NodeJS.Timeout | null = null;
  private readonly io: CliIo;
  private readonly onInt = () => this.stop('SIGINT');
  private readonly onTerm = () => this.stop('SIGTERM');

  constructor(io: CliIo, durationS: number) {
    this.io = io;
    this.promise = new Promise((r) => (this.resolve = r));
    if (durationS > 0) this.timer = setTimeout(() => this.stop('duration'), durationS * 1000);
    io.signals.on('SIGINT', this.onInt);
    io.signals.on('SIGTERM', this.onTerm);
  }

  /** Starts the duration now instead of at construction (a publisher's schedule starts after its warm-up, and so does its duration). */
  startDuration(durationS: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = durationS > 0 ? setTimeout(() => this.stop('duration'), durationS * 1000) : null;
  }

  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.resolve(reason);
  }

  /** Removes the signal handlers; call once the summary is written. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.io.signals.off('SIGINT', this.onInt);
    this.io.signals.off('SIGTERM', this.onTerm);
  }
}
