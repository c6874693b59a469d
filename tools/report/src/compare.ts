import { criticalValue, type LatencyStats } from '@mdbench/core/internal';
import type { FleetStats, MergedInterval } from './merge.js';

/**
 * `mdbench-report compare`: two merged results side by side, each metric's difference with a 95%
 * confidence interval and a verdict. The mean by Welch's t on the two Welford states; a percentile
 * by binomial order statistics on each HdrHistogram (the ranks n*q -/+ 1.96*sqrt(n*q*(1-q)) bound
 * the percentile with 95% confidence), the difference's interval joining the two (conservative);
 * counts and rates exactly, without an interval. A regression is a difference that is significant
 * (its interval excludes 0, where there is one), beyond the relative tolerance, and for times at
 * least the minimum effect: run-to-run noise of a few hundred microseconds is not a regression.
 */
type Verdict = 'better' | 'worse' | 'no significant difference' | 'too few samples' | 'no data';

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
function percentileRow(metric: string, baseline: LatencyStats, candidate: LatencyStats, p: number, o: CompareOptions): Comparison {
  const x = percentileInterval(baseline, p);
  const y = percentileInterval(candidate, p);
  const r = { metric, unit: 'ms' as const, baseline: x.value, candidate: y.value, difference: y.value - x.value };
  if (!enoughFor(p, baseline, candidate)) return { ...r, verdict: 'too few samples', regression: false };
  const withCi = { ...r, low: y.low - x.high, high: y.high - x.low };
  return { ...withCi, ...judge(withCi, o, 1) };
}
const ms = (us: number) => us / 1000;

/** A percentile (ms) with its 95% interval from the histogram's order statistics. */
export function percentileInterval(latency: LatencyStats, p: number): { value: number; low: number; high: number } {
  const n = latency.welford.count;
  const q = p / 100;
  const half = Z95 * Math.sqrt(n * q * (1 - q));
  const at = (rank: number) => ms(latency.percentileUs(Math.min(100, Math.max(0, (100 * rank) / n))));
  return { value: ms(latency.percentileUs(p)), low: at(Math.floor(n * q - half)), high: at(Math.ceil(n * q + half + 1)) };
}

/** The verdict on a difference where lower is better (`sign` -1 flips it for rates). */
function judge(comparison: Omit<Comparison, 'verdict' | 'regression'>, o: CompareOptions, sign: 1 | -1): Pick<Comparison, 'verdict' | 'regression'> {
  if (!Number.isFinite(comparison.baseline) || !Number.isFinite(comparison.candidate)) return { verdict: 'no data', regression: false };
  const d = sign * comparison.difference;
  const hasInterval = comparison.low !== undefined && comparison.high !== undefined;
  const significantWorse = hasInterval ? sign * (sign === 1 ? (comparison.low as number) : (comparison.high as number)) > 0 : d > 0;
  const significantBetter = hasInterval ? sign * (sign === 1 ? (comparison.high as number) : (comparison.low as number)) < 0 : d < 0;
  const beyond = Math.abs(d) > (o.tolerancePct / 100) * Math.abs(comparison.baseline) && (comparison.unit !== 'ms' || Math.abs(d) >= o.minEffectMs);
  if (significantWorse && beyond) return { verdict: 'worse', regression: true };
  if (significantBetter && beyond) return { verdict: 'better', regression: false };
  return { verdict: 'no significant difference', regression: false };
}

/** Intervals a batch needs to be judged, per run. */
const MIN_BATCHES = 3;

/** The difference of the means of two sets of batch values, with its interval by Welch's t (95% unless `level` says). */
function batchDifference(b: number[], c: number[], level: 95 | 'six at 95' = 95): { difference: number; low: number; high: number } {
  const stats = (x: number[]) => {
    const m = x.reduce((a, v) => a + v, 0) / x.length;
    return { n: x.length, m, v: x.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, x.length - 1) };
  };
  const x = stats(b);
  const y = stats(c);
  const vb = x.v / x.n;
  const vc = y.v / y.n;
  const df = (vb + vc) ** 2 / (vb ** 2 / Math.max(1, x.n - 1) + vc ** 2 / Math.max(1, y.n - 1));
  const t = criticalValue(level, Math.round(Number.isFinite(df) && df > 0 ? df : 1) + 1);
  const d = y.m - x.m;
  const half = t * Math.sqrt(vb + vc);
  return { difference: d, low: d - half, high: d + half };
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One latency figure of each interval that holds enough messages for it (ms). */
function batches(intervals: MergedInterval[], read: (l: LatencyStats) => number, minMessages: number): number[] {
  return intervals.filter((i) => i.fleet.stats.latency.welford.count >= minMessages).map((i) => read(i.fleet.stats.latency));
}

/** Latency rows: whole-run figures, judged by batch means over the report intervals. */
function latencyRows(b: RunData, c: RunData, o: CompareOptions): Comparison[] {
  const lb = b.fleet.stats.latency;
  const lc = c.fleet.stats.latency;
  if (lb.welford.count < 2 || lc.welford.count < 2) return [];
  const figures: { name: string; whole: (l: LatencyStats) => number; minMessages: number }[] = [
    { name: 'mean', whole: (l) => ms(l.welford.mean), minMessages: 10 },
    ...[50, 90, 99, 99.9].map((p) => ({ name: `p${p}`, whole: (l: LatencyStats) => ms(l.percentileUs(p)), minMessages: Math.ceil(10 / (1 - p / 100)) })),
  ];
  const rows: Comparison[] = figures.map((f): Comparison => {
    const r = { metric: `latency ${f.name}`, unit: 'ms' as const, baseline: f.whole(lb), candidate: f.whole(lc), difference: f.whole(lc) - f.whole(lb) };
    const xb = batches(b.intervals, f.whole, f.minMessages);
    const xc = batches(c.intervals, f.whole, f.minMessages);
    if (xb.length < MIN_BATCHES || xc.length < MIN_BATCHES) return { ...r, verdict: 'too few samples' as const, regression: false };
    const bd = batchDifference(xb, xc);
    const withCi = { ...r, low: bd.low, high: bd.high };
    const j = judge({ ...withCi, difference: bd.difference }, o, 1);
    // One run a side: the batches measure the noise inside a run, not between runs (a shared machine
    // moves between them). A change is only called when the runs' batches separate: most of one
    // side's beyond every batch of the other.
    if (j.verdict === 'worse' && median(xc) <= Math.max(...xb)) return { ...withCi, verdict: 'no significant difference', regression: false };
    if (j.verdict === 'better' && median(xc) >= Math.min(...xb)) return { ...withCi, verdict: 'no significant difference', regression: false };
    return { ...withCi, ...j };
  });
  // The maximum is one sample: its difference is shown, never judged.
  rows.push({
    metric: 'latency max',
    unit: 'ms',
    baseline: ms(lb.welford.max),
    candidate: ms(lc.welford.max),
    difference: ms(lc.welford.max - lb.welford.max),
    verdict: 'no significant difference',
    regression: false,
  });
  return rows;
}

/** A run as compare reads it: its merged whole and its merged report intervals. */
export interface RunData {
  fleet: FleetStats;
  intervals: MergedInterval[];
}

/** Every metric of the two runs compared. */
export function compareRuns(base: RunData, cand: RunData, o: CompareOptions): Comparison[] {
  const b = base.fleet.stats;
  const c = cand.fleet.stats;
  const out = latencyRows(base, cand, o);
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

/** Runs a side needs before compare judges by the variance between runs. */
export const MIN_RUNS = 3;

/**
 * Several runs a side: each figure of each run (its whole-run latency mean and percentiles, its
 * rate) is one sample, and the difference of the two sides' means is judged with Welch's t over
 * them: the variance between runs, which a shared machine's drift is part of. The six figures are
 * judged together: each interval at 98.3%, so that the chance of calling any of them worse when
 * nothing changed is 5% (at 95% each, two runs a side of the same setup on a loaded CI host were
 * called a regression on p99.9: 33.6 -> 78.4 ms, [+24.2, +65.3]).
 */
export function compareRunSets(bases: RunData[], cands: RunData[], o: CompareOptions): Comparison[] {
  const figures: { metric: string; unit: Comparison['unit']; sign: 1 | -1; read: (r: RunData) => number }[] = [
    { metric: 'latency mean', unit: 'ms', sign: 1, read: (r) => ms(r.fleet.stats.latency.welford.mean) },
    ...[50, 90, 99, 99.9].map((p) => ({
      metric: `latency p${p}`,
      unit: 'ms' as const,
      sign: 1 as const,
      read: (r: RunData) => ms(r.fleet.stats.latency.percentileUs(p)),
    })),
    { metric: 'rate (msg/s)', unit: 'msg/s', sign: -1, read: (r) => r.fleet.stats.flowRatePerSec },
  ];
  const rows = figures.map((f): Comparison => {
    const xb = bases.map(f.read).filter(Number.isFinite);
    const xc = cands.map(f.read).filter(Number.isFinite);
    const mean = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length;
    const r = { metric: f.metric, unit: f.unit, baseline: mean(xb), candidate: mean(xc), difference: mean(xc) - mean(xb) };
    if (xb.length < 2 || xc.length < 2) return { ...r, verdict: 'too few samples', regression: false };
    const bd = batchDifference(xb, xc, 'six at 95');
    const withCi = { ...r, low: bd.low, high: bd.high };
    return { ...withCi, ...judge(withCi, o, f.sign) };
  });
  const sum = (runs: RunData[], read: (r: RunData) => number) => runs.reduce((a, r) => a + read(r), 0);
  for (const [metric, read] of [
    ['loss', (r: RunData) => r.fleet.stats.count('gaps')],
    ['errors', (r: RunData) => r.fleet.stats.errorCount],
  ] as const) {
    const x = sum(bases, read);
    const y = sum(cands, read);
    const row = { metric, unit: 'count' as const, baseline: x, candidate: y, difference: y - x };
    rows.push({ ...row, ...judge(row, o, 1) });
  }
  return rows;
}

/** One line of the comparison: `latency p99: 4.10 -> 9.80 ms, +5.70 [+5.20, +6.30] ms: worse`. */
export function comparisonText(comparison: Comparison): string {
  const f = (v: number) => (comparison.unit === 'count' ? String(Math.round(v)) : v.toFixed(2));
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${f(v)}`;
  const unit = comparison.unit === 'count' ? '' : ` ${comparison.unit}`;
  const ci = comparison.low !== undefined && comparison.high !== undefined ? ` [${signed(comparison.low)}, ${signed(comparison.high)}]` : '';
  return `${f(comparison.baseline)} -> ${f(comparison.candidate)}${unit}, ${signed(comparison.difference)}${ci}${unit}: ${comparison.verdict}${comparison.regression ? ' (REGRESSION)' : ''}`;
}
