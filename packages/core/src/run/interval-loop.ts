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
