/**
 * The values a capacity search tries: the listed ones or a geometric series from `start` by
 * `factor` up to `max`, until one fails; then `refine` bisections between the last that held and
 * the first that broke. Pure: `next` is told each outcome and says what to try next.
 */
export class CapacitySearch {
  private readonly series: number[];
  private readonly refine: number;
  /** Index of the series value to try next while nothing has broken. */
  private step = 0;
  private bisections = 0;
  /** The highest value that held, and the lowest that broke. */
  held: number | null = null;
  broke: number | null = null;

  constructor(o: { values?: number[]; start: number; factor: number; max: number; refine: number }) {
    if (o.values?.length) this.series = [...o.values].sort((a, b) => a - b);
    else {
      this.series = [];
      for (let v = o.start; v <= o.max * 1.000001; v *= o.factor) this.series.push(Math.round(v));
    }
    this.refine = o.refine;
  }

  /** The next value to try, or null when the search is over. */
  next(): number | null {
    if (this.broke === null) return this.step < this.series.length ? this.series[this.step] : null;
    if (this.bisections >= this.refine) return null;
    const lo = this.held ?? 0;
    const mid = Math.round((lo + this.broke) / 2);
    return mid > lo && mid < this.broke ? mid : null;
  }

  /** The outcome of trying `value`. */
  record(value: number, held: boolean): void {
    if (this.broke === null) this.step++;
    else this.bisections++;
    if (held) this.held = Math.max(this.held ?? value, value);
    else this.broke = Math.min(this.broke ?? value, value);
  }
}
