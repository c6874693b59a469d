import { criticalValue, type LatencyStats } from '@mdbench/core';
import type { FleetStats } from './merge.js';

/**
 * `mdbench-report compare`: two merged results side by side, each metric's difference with a 95%
 * confidence interval and a verdict. The mean by Welch's t on the two Welford states; a percentile
 * by binomial order statistics on each HdrHistogram (the ranks n*q -/+ 1.96*sqrt(n*q*(1-q)) bound
 * the percentile with 95% confidence), the difference's interval joining the two (conservative);
 * counts and rates exactly, without an interval. A regression is a difference that is significant
 * (its interval excludes 0, where there is one), beyond the relative tolerance, and for times at
 * least the minimum effect: run-to-run noise of a few hundred microseconds is not a regression.
 */
export type Verdict = 'better' | 'worse' | 'no significant difference' | 'too few samples' | 'no data';

export interface Comparison {
  metric: string;
  unit: 'ms' | 'msg/s' | 'count';
  baseline: number;
  candidate: number;
  difference: number;
  /** The difference's 95% interval (none for counts, rates and the maximum). */
  low?: number;
  high?: number;
  verdict: Verdict;
  /** Worse, significant, beyond the tolerance (and the minimum effect for times). */
  regression: boolean;
}

export interface CompareOptions {
  /** Relative change that counts, percent. */
  tolerancePct: number;
  /** Smallest difference of a time that counts, ms. */
  minEffectMs: number;
}

const Z95 = 1.959963984540054;
const MIN_TAIL = 10;

/** Whether both histograms hold enough samples beyond the p-th percentile to judge it. */
const enoughFor = (p: number, ...ls: LatencyStats[]) => ls.every((l) => l.welford.count * (1 - p / 100) >= MIN_TAIL);

/** A percentile's row: its difference with an interval and a verdict, or shown unjudged with too few samples. */
function percentileRow(metric: string, b: LatencyStats, c: LatencyStats, p: number, o: CompareOptions): Comparison {
  const x = percentileInterval(b, p);
  const y = percentileInterval(c, p);
  const r = { metric, unit: 'ms' as const, baseline: x.value, candidate: y.value, difference: y.value - x.value };
  if (!enoughFor(p, b, c)) return { ...r, verdict: 'too few samples', regression: false };
  const withCi = { ...r, low: y.low - x.high, high: y.high - x.low };
  return { ...withCi, ...judge(withCi, o, 1) };
}
const ms = (us: number) => us / 1000;

/** A percentile (ms) with its 95% interval from the histogram's order statistics. */
export function percentileInterval(l: LatencyStats, p: number): { value: number; low: number; high: number } {
  const n = l.welford.count;
  const q = p / 100;
  const half = Z95 * Math.sqrt(n * q * (1 - q));
  const at = (rank: number) => ms(l.percentileUs(Math.min(100, Math.max(0, (100 * rank) / n))));
  return { value: ms(l.percentileUs(p)), low: at(Math.floor(n * q - half)), high: at(Math.ceil(n * q + half + 1)) };
}

/** The difference of two means (ms) with its 95% interval, by Welch's t. */
export function meanDifference(b: LatencyStats, c: LatencyStats): { difference: number; low: number; high: number } {
  const vb = b.welford.m2 / Math.max(1, b.welford.count - 1) / b.welford.count;
  const vc = c.welford.m2 / Math.max(1, c.welford.count - 1) / c.welford.count;
  const se = Math.sqrt(vb + vc);
  // Welch-Satterthwaite degrees of freedom.
  const df = (vb + vc) ** 2 / (vb ** 2 / Math.max(1, b.welford.count - 1) + vc ** 2 / Math.max(1, c.welford.count - 1));
  const t = criticalValue(95, Math.round(Number.isFinite(df) ? df : 1e9) + 1);
  const d = c.welford.mean - b.welford.mean;
  return { difference: ms(d), low: ms(d - t * se), high: ms(d + t * se) };
}

/** The verdict on a difference where lower is better (`sign` -1 flips it for rates). */
function judge(c: Omit<Comparison, 'verdict' | 'regression'>, o: CompareOptions, sign: 1 | -1): Pick<Comparison, 'verdict' | 'regression'> {
  if (!Number.isFinite(c.baseline) || !Number.isFinite(c.candidate)) return { verdict: 'no data', regression: false };
  const d = sign * c.difference;
  const hasInterval = c.low !== undefined && c.high !== undefined;
  const significantWorse = hasInterval ? sign * (sign === 1 ? (c.low as number) : (c.high as number)) > 0 : d > 0;
  const significantBetter = hasInterval ? sign * (sign === 1 ? (c.high as number) : (c.low as number)) < 0 : d < 0;
  const beyond = Math.abs(d) > (o.tolerancePct / 100) * Math.abs(c.baseline) && (c.unit !== 'ms' || Math.abs(d) >= o.minEffectMs);
  if (significantWorse && beyond) return { verdict: 'worse', regression: true };
  if (significantBetter && beyond) return { verdict: 'better', regression: false };
  return { verdict: 'no significant difference', regression: false };
}

function latencyRows(name: string, b: LatencyStats, c: LatencyStats, o: CompareOptions): Comparison[] {
  if (b.welford.count < 2 || c.welford.count < 2) return [];
  const mean = { metric: `${name} mean`, unit: 'ms' as const, baseline: ms(b.welford.mean), candidate: ms(c.welford.mean), ...meanDifference(b, c) };
  // The maximum is one sample: its difference is shown, never judged.
  const max = { metric: `${name} max`, unit: 'ms' as const, baseline: ms(b.welford.max), candidate: ms(c.welford.max), difference: ms(c.welford.max - b.welford.max), verdict: 'no significant difference' as const, regression: false };
  return [{ ...mean, ...judge(mean, o, 1) }, ...[50, 90, 99, 99.9].map((p) => percentileRow(`${name} p${p}`, b, c, p, o)), max];
}

/** Every metric of the two fleets compared. */
export function compareFleets(base: FleetStats, cand: FleetStats, o: CompareOptions): Comparison[] {
  const b = base.stats;
  const c = cand.stats;
  const out = latencyRows('latency', b.latency, c.latency, o);
  const count = (metric: string, x: number, y: number, sign: 1 | -1, unit: Comparison['unit'] = 'count'): Comparison => {
    const r = { metric, unit, baseline: x, candidate: y, difference: y - x };
    return { ...r, ...judge(r, o, sign) };
  };
  out.push(count('rate (msg/s)', b.flowRatePerSec, c.flowRatePerSec, -1, 'msg/s'));
  out.push(count('loss', b.count('gaps'), c.count('gaps'), 1));
  out.push(count('errors', b.errorCount, c.errorCount, 1));
  for (const phase of ['connect', 'tls', 'session'] as const) {
    const x = b.phases.byPhase[phase];
    const y = c.phases.byPhase[phase];
    if (x.welford.count < 2 || y.welford.count < 2) continue;
    out.push(percentileRow(`${phase} p99`, x, y, 99, o));
  }
  return out;
}

/** One line of the comparison: `latency p99: 4.10 -> 9.80 ms, +5.70 [+5.20, +6.30] ms: worse`. */
export function comparisonText(r: Comparison): string {
  const f = (v: number) => (r.unit === 'count' ? String(Math.round(v)) : v.toFixed(2));
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${f(v)}`;
  const unit = r.unit === 'count' ? '' : ` ${r.unit}`;
  const ci = r.low !== undefined && r.high !== undefined ? ` [${signed(r.low)}, ${signed(r.high)}]` : '';
  return `${f(r.baseline)} -> ${f(r.candidate)}${unit}, ${signed(r.difference)}${ci}${unit}: ${r.verdict}${r.regression ? ' (REGRESSION)' : ''}`;
}
