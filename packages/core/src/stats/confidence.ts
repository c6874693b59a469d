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
/**
 * At 98.33% two-sided (1 - 0.1/6): a difference called worse (or better) by one of six figures judged
 * together at this level is wrong with a chance of 0.83% each, 5% for any of the six (Bonferroni),
 * where six figures each at 95% make one false call up to 15% of the time.
 */
const T_SIX = [
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: t quantiles; 2.718 (14 degrees of freedom) is not e
  38.188, 7.649, 4.857, 3.961, 3.534, 3.287, 3.128, 3.016, 2.933, 2.87, 2.82, 2.779, 2.746, 2.718, 2.694, 2.673, 2.655, 2.639, 2.625, 2.613, 2.601, 2.591,
  2.582, 2.574, 2.566, 2.559, 2.552, 2.546, 2.541, 2.536,
];
const Z = { 90: 1.6448536269514722, 95: 1.959963984540054, 'six at 95': 2.3939797998185104 } as const;
const T = { 90: T90, 95: T95, 'six at 95': T_SIX } as const;

/** 90% or 95%, or 95% shared by six figures judged together ('six at 95'). */
export type ConfidenceLevel = 90 | 95 | 'six at 95';

/** Critical value for a two-sided interval: Student t for small samples, the normal z beyond 30 degrees of freedom. */
export function criticalValue(level: ConfidenceLevel, n: number): number {
  const df = n - 1;
  if (df >= 1 && df <= 30) return T[level][df - 1];
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
