/** The subscribed connections over an interval: lowest, mean and highest of the gauge samples taken in it. */
export interface Population {
  min: number;
  mean: number;
  max: number;
}

/**
 * Samples of the subscribed gauge (every 250 ms from the coordinator's watch) gathered per report
 * interval, for fleets whose population moves (--lifetime, --arrival-rate): how far it held.
 */
export class PopulationWatch {
  private samples = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = 0;

  sample(subscribed: number): void {
    this.samples++;
    this.sum += subscribed;
    if (subscribed < this.min) this.min = subscribed;
    if (subscribed > this.max) this.max = subscribed;
  }

  /** The interval's figures (null: no sample), and a fresh start. */
  take(): Population | null {
    const p = this.samples > 0 ? { min: this.min, mean: this.sum / this.samples, max: this.max } : null;
    this.samples = this.sum = this.max = 0;
    this.min = Number.POSITIVE_INFINITY;
    return p;
  }
}
