import type { CommandContext } from '../cli/command.js';
import type { StopController } from '../cli/stop.js';
import { abortOnFail } from '../thresholds/abort-watch.js';
import type { Threshold, Verdict } from '../thresholds/threshold.js';

/**
 * A run's reporting beat: `tick` every `intervalS` seconds, one at a time (a slow tick, such as one
 * that gathers counts from workers, delays the next and never overlaps it).
 */
export class IntervalLoop {
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalS: number, tick: () => unknown, onError: (line: string) => void) {
    this.timer = setInterval(() => {
      this.chain = this.chain.then(tick).then(
        () => {},
        (err) => onError(`interval report failed: ${(err as Error).message}`),
      );
    }, intervalS * 1000);
  }

  /** Stops the beat and waits for the tick going, if any. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
  }
}

/**
 * The reporting beat of a load-generating run: every `--interval` seconds `tick` reports; with
 * `--abort-on-fail` and thresholds, `tick` is asked to judge (`judge` true) and returns the verdicts
 * of the run so far, and a threshold crossed for the whole grace stops the run.
 */
export function reportEvery(
  ctx: CommandContext<{ interval: number; abortOnFail?: number }>,
  stopper: StopController,
  thresholds: readonly Threshold[],
  tick: (judge: boolean) => Promise<readonly Verdict[] | undefined> | readonly Verdict[] | undefined,
): IntervalLoop {
  const cfg = ctx.config;
  const abort = abortOnFail(
    cfg.abortOnFail,
    thresholds,
    ctx.io.clock,
    (l) => ctx.log.warn(l),
    () => stopper.stop('thresholds'),
  );
  return new IntervalLoop(
    cfg.interval,
    async () => {
      const soFar = await tick(abort !== null);
      if (soFar) abort?.(soFar);
    },
    (m) => ctx.log.error(m),
  );
}
