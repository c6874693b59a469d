import { MdbenchError, type SourceLocation } from '../errors.js';

/**
 * Thresholds (`p99<50ms,loss=0,rate>=99%,connect.p99<2s,errors=0`): one grammar and one judge for
 * the client's, publisher's and report's --thresholds and for mdbench-capacity's objectives. Each
 * tool says which metrics it measures and in what unit their bounds are written.
 */
type ThresholdOp = '<' | '<=' | '=' | '>=' | '>';

/** A metric a tool can judge: the unit its bound is written in, and what it is (for messages). */
export interface ThresholdMetric {
  unit: 'ms' | '%' | 'count';
  about: string;
}

export interface Threshold {
  text: string;
  metric: string;
  op: ThresholdOp;
  /** The bound: ms for times, a percentage, or a count. */
  value: number;
}

/** One threshold judged: the value measured (NaN when nothing was measured) and whether it held. */
export interface Verdict {
  threshold: string;
  metric: string;
  measured: number;
  unit: ThresholdMetric['unit'];
  passed: boolean;
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
const FORM = /^([a-z][a-z0-9.]*)\s*(<=|>=|<|>|=)\s*(\d+(?:\.\d+)?)\s*(us|ms|s|%)?$/;

/**
 * Parses a comma-separated list against the metrics a tool measures; anything that does not parse,
 * names a metric the tool does not measure or has the wrong unit is one line (exit 2).
 */
export function parseThresholds(text: string, metrics: Record<string, ThresholdMetric>, where: SourceLocation | undefined, kind = 'threshold'): Threshold[] {
  const fail = (message: string) => new MdbenchError('MDB_THRESHOLD', message, { location: where });
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = FORM.exec(t);
      if (!m) throw fail(`${kind} "${t}" is not METRIC OP VALUE, as in p99<50ms, loss=0, rate>=99% (metrics: ${Object.keys(metrics).join(', ')})`);
      // Own keys only: `constructor<5` must not find Object.prototype.constructor.
      const spec = Object.hasOwn(metrics, m[1]) ? metrics[m[1]] : undefined;
      if (!spec) throw fail(`${kind} "${t}": no metric "${m[1]}" here (metrics: ${Object.keys(metrics).join(', ')})`);
      let value = Number(m[3]);
      const unit = m[4];
      if (spec.unit === 'ms') {
        if (!unit || !Object.hasOwn(UNITS, unit)) throw fail(`${kind} "${t}" needs a time unit (us, ms or s)`);
        value *= UNITS[unit];
      } else if (spec.unit === '%' && unit !== '%') throw fail(`${kind} "${t}" is a percentage (as in ${m[1]}>=99%)`);
      else if (spec.unit === 'count' && unit) throw fail(`${kind} "${t}" is a count: no unit`);
      return { text: t, metric: m[1], op: m[2] as ThresholdOp, value };
    });
}

/** Whether `measured` meets the threshold; nothing measured (NaN) meets none. */
export function holds(threshold: Threshold, measured: number): boolean {
  if (Number.isNaN(measured)) return false;
  switch (threshold.op) {
    case '<':
      return measured < threshold.value;
    case '<=':
      return measured <= threshold.value;
    case '=':
      return measured === threshold.value;
    case '>=':
      return measured >= threshold.value;
    default:
      return measured > threshold.value;
  }
}

/** Every threshold judged on the figures `read` gives (by metric name). */
export function judgeAll(thresholds: readonly Threshold[], metrics: Record<string, ThresholdMetric>, read: (metric: string) => number): Verdict[] {
  return thresholds.map((t) => {
    const measured = read(t.metric);
    return { threshold: t.text, metric: t.metric, measured, unit: metrics[t.metric].unit, passed: holds(t, measured) };
  });
}

/** `passed (12.31 ms)`, `FAILED (3)`, `FAILED (nothing measured)`: a verdict without its threshold. */
export function verdictOutcome(verdict: Verdict): string {
  const m = Number.isNaN(verdict.measured)
    ? 'nothing measured'
    : verdict.unit === 'ms'
      ? `${verdict.measured.toFixed(2)} ms`
      : verdict.unit === '%'
        ? `${verdict.measured.toFixed(2)}%`
        : String(Math.round(verdict.measured));
  return `${verdict.passed ? 'passed' : 'FAILED'} (${m})`;
}

/** `p99<50ms passed (12.31 ms)`, `loss=0 FAILED (3)`, `rate>=99% passed (99.98%)`. */
export function verdictText(verdict: Verdict): string {
  return `${verdict.threshold} ${verdictOutcome(verdict)}`;
}
