/** The state of Welford's online algorithm: enough to merge, serialise, and derive every moment. */
export interface WelfordState {
  count: number;
  mean: number;
  /** Sum of squared deltas from the running mean (the article's `sumOfSquaredDelta`). */
  m2: number;
  min: number;
  max: number;
}

/**
 * Count, min, max, mean and standard deviation computed on the fly, exactly as the article's update
 * does, without storing values. Two accumulators merge exactly (Chan et al.'s parallel formula), so
 * workers and machines can each keep their own and the totals are those of the whole population.
 */
export class Welford implements WelfordState {
  count = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  static from(state: WelfordState): Welford {
    const w = new Welford();
    w.count = state.count;
    w.mean = state.mean;
    w.m2 = state.m2;
    w.min = state.count > 0 ? state.min : Infinity;
    w.max = state.count > 0 ? state.max : -Infinity;
    return w;
  }

  add(value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    // The article writes `delta * delta`, which is exact only for the first value; Welford's update
    // multiplies the old delta by the new one.
    this.m2 += delta * (value - this.mean);
  }

  /** Folds `other` into this accumulator. */
  merge(other: WelfordState): void {
    if (other.count === 0) return;
    if (this.count === 0) {
      this.count = other.count;
      this.mean = other.mean;
      this.m2 = other.m2;
      this.min = other.min;
      this.max = other.max;
      return;
    }
    const n = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / n;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / n;
    this.count = n;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  /** Population standard deviation, sqrt(m2 / n), as the article computes it. */
  get stdev(): number {
    return this.count > 0 ? Math.sqrt(this.m2 / this.count) : 0;
  }

  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  toJSON(): WelfordState {
    return { count: this.count, mean: this.mean, m2: this.m2, min: this.count > 0 ? this.min : 0, max: this.count > 0 ? this.max : 0 };
  }
}
