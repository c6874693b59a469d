import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay p99 (ms) beyond which a load generator's own figures are suspect: it is saturated. */
export const SATURATION_P99_MS = 20;

/**
 * Event-loop delay of this process. Node's histogram records the whole time between its timer's
 * ticks, resolution included; this reports only the delay beyond the resolution, in ms.
 */
export class LoopDelay {
  private readonly histogram: IntervalHistogram;
  private readonly resolutionMs: number;

  constructor(resolutionMs = 10) {
    this.resolutionMs = resolutionMs;
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.histogram.enable();
  }

  private ms(ns: number): number {
    return Number.isFinite(ns) && ns > 0 ? Math.max(0, ns / 1e6 - this.resolutionMs) : 0;
  }

  p99Ms(): number {
    return this.histogram.count > 0 ? this.ms(this.histogram.percentile(99)) : 0;
  }

  maxMs(): number {
    return this.histogram.count > 0 ? this.ms(this.histogram.max) : 0;
  }

  reset(): void {
    this.histogram.reset();
  }
}
