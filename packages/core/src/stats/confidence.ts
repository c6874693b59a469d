import type { WelfordState } from './welford.js';

/** Two-sided Student t critical values for df = 1..30, at 90% and 95% confidence. */
const T90 = [
  6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.74, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714,
  1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697,
];
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z = { 90: 1.6448536269514722, 95: 1.959963984540054 } as const;

export type ConfidenceLevel = 90 | 95;

/** Critical value for a two-sided interval: Student t for small samples, the normal z beyond 30 degrees of freedom. */
export function criticalValue(level: ConfidenceLevel, n: number): number {
  const df = n - 1;
  if (df >= 1 && df <= 30) return (level === 90 ? T90 : T95)[df - 1];
  return Z[level];
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * Confidence interval of the mean: mean +/- crit * s / sqrt(n). With the article's figures (mean
 * 269.68, sd 420.36, 7,089,699 messages) this gives its 90% interval [269.42 - 269.94].
 * Undefined below two values.
 */
export function meanConfidence(state: WelfordState, level: ConfidenceLevel): Interval | undefined {
  if (state.count < 2) return undefined;
  const s = Math.sqrt(state.m2 / (state.count - 1));
  const half = (criticalValue(level, state.count) * s) / Math.sqrt(state.count);
  return { low: state.mean - half, high: state.mean + half };
}
