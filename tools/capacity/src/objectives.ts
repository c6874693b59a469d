import { holds, parseThresholds, type SourceLocation, type Threshold, type ThresholdMetric } from '@mdbench/core/internal';

/** What one step measured. */
export interface StepFigures {
  /** Publish rate asked for, and achieved (messages/s). */
  targetRatePerSec: number;
  achievedPerSec: number;
  /** Messages received per second at the clients, over the time they flowed. */
  deliveredPerSec: number;
  published: number;
  received: number;
  gaps: number;
  /** Latency percentiles and mean of the step, ms (merged over the clients' workers). */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  meanMs: number;
  maxMs: number;
  /** The publisher's schedule lag p99, ms. */
  lagP99Ms: number;
  /** The clients' worst event-loop delay p99, ms. */
  loopP99Ms: number;
  /** Messages that never arrived by the end of the step's drain (one-to-one only; else 0). */
  missing: number;
}

type Metric = 'p50' | 'p99' | 'p999' | 'mean' | 'max' | 'lag' | 'loop' | 'loss' | 'rate';

/** One objective: `p99<50ms`, `loss=0`, `rate>=99%`, `loop<20ms`... (core's threshold grammar). */
export type Objective = Threshold & { metric: Metric };

/** What each metric of an objective reads from a step, and in what unit its bound is written. */
const METRICS: Record<Metric, ThresholdMetric & { read: (f: StepFigures) => number }> = {
  p50: { unit: 'ms', read: (f) => f.p50Ms, about: 'latency p50' },
  p99: { unit: 'ms', read: (f) => f.p99Ms, about: 'latency p99' },
  p999: { unit: 'ms', read: (f) => f.p999Ms, about: 'latency p99.9' },
  mean: { unit: 'ms', read: (f) => f.meanMs, about: 'latency mean' },
  max: { unit: 'ms', read: (f) => f.maxMs, about: 'latency max' },
  lag: { unit: 'ms', read: (f) => f.lagP99Ms, about: 'publisher schedule lag p99' },
  loop: { unit: 'ms', read: (f) => f.loopP99Ms, about: 'client event-loop delay p99 (self-saturation)' },
  loss: { unit: 'count', read: (f) => f.gaps + f.missing, about: 'messages lost' },
  rate: { unit: '%', read: (f) => (100 * f.achievedPerSec) / f.targetRatePerSec, about: 'achieved rate, % of the target' },
};

/** Parses objectives (comma-separated); any that does not parse is one line, exit 2. */
export function parseObjectives(text: string, where: SourceLocation): Objective[] {
  return parseThresholds(text, METRICS, where, 'objective') as Objective[];
}

/** Whether a step meets an objective, and the figure it was judged on. */
export function judge(objective: Objective, f: StepFigures): { held: boolean; measured: number } {
  const v = METRICS[objective.metric].read(f);
  return { held: holds(objective, v), measured: v };
}

export function describe(objective: Objective): string {
  return `${METRICS[objective.metric].about} ${objective.op} ${objective.value}${METRICS[objective.metric].unit === 'ms' ? ' ms' : METRICS[objective.metric].unit === '%' ? '%' : ''}`;
}
