import { Welford, type WelfordState } from './welford.js';
import { decodeHistogram, encodeHistogram, newLatencyHistogram, recordLatencyUs, type Histogram } from './histogram.js';

/** Latency statistics as they travel between processes and machines: Welford state plus an encoded histogram. */
export interface LatencyWire {
  welford: WelfordState;
  /** HdrHistogram compressed base64, microseconds. */
  hist: string;
}

/** Exact online latency statistics (Welford) with a histogram for percentiles; values in microseconds. */
export class LatencyStats {
  readonly welford = new Welford();
  readonly hist: Histogram;

  /** `wasm`: a WebAssembly histogram (see loadWasmHistograms), for a long-lived hot recorder. */
  constructor(wasm = false) {
    this.hist = newLatencyHistogram(wasm);
  }

  record(us: number): void {
    this.welford.add(us);
    recordLatencyUs(this.hist, us);
  }

  merge(other: LatencyStats): void {
    this.welford.merge(other.welford);
    this.hist.add(other.hist);
  }

  mergeWire(wire: LatencyWire): void {
    this.welford.merge(wire.welford);
    if (wire.welford.count > 0) {
      const h = decodeHistogram(wire.hist);
      this.hist.add(h);
      h.destroy();
    }
  }

  toWire(): LatencyWire {
    return { welford: this.welford.toJSON(), hist: encodeHistogram(this.hist) };
  }

  static fromWire(wire: LatencyWire): LatencyStats {
    const s = new LatencyStats();
    s.mergeWire(wire);
    return s;
  }

  /** Value at percentile `p` in microseconds (0 when empty). */
  percentileUs(p: number): number {
    return this.welford.count > 0 ? this.hist.getValueAtPercentile(p) : 0;
  }

  reset(): void {
    this.welford.reset();
    this.hist.reset();
  }
}
