import type { LatencyStats } from '../stats/latency.js';

/** Quantiles every latency summary exports. */
const EXPORTED_QUANTILES = [0.5, 0.9, 0.99, 0.999] as const;

type Labels = Record<string, string>;

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Prometheus' text exposition format (version 0.0.4): each family once, with its HELP and TYPE,
 * then its samples. Values are given as they are; nothing is averaged here.
 */
export class PrometheusText {
  private readonly lines: string[] = [];
  private readonly declared = new Set<string>();

  private declare(name: string, type: 'counter' | 'gauge' | 'summary', help: string): void {
    if (this.declared.has(name)) return;
    this.declared.add(name);
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }

  /** A counter (name ends in `_total`). */
  counter(name: string, help: string, value: number, labels?: Labels): this {
    this.declare(name, 'counter', help);
    this.lines.push(`${name}${labelText(labels)} ${num(value)}`);
    return this;
  }

  /** One counter family with a sample per label value (e.g. errors by cause). */
  counters(name: string, help: string, label: string, values: Record<string, number>, extra?: Labels): this {
    this.declare(name, 'counter', help);
    for (const [k, v] of Object.entries(values)) this.lines.push(`${name}${labelText({ ...extra, [label]: k })} ${num(v)}`);
    return this;
  }

  gauge(name: string, help: string, value: number, labels?: Labels): this {
    this.declare(name, 'gauge', help);
    this.lines.push(`${name}${labelText(labels)} ${num(value)}`);
    return this;
  }

  /**
   * A summary of latencies in seconds: quantiles read from one merged HdrHistogram (exact merges
   * of every worker's), the sum and count from the Welford state.
   */
  latencySummary(name: string, help: string, stats: LatencyStats, labels?: Labels): this {
    this.declare(name, 'summary', help);
    const w = stats.welford;
    for (const q of EXPORTED_QUANTILES)
      this.lines.push(`${name}${labelText({ ...labels, quantile: String(q) })} ${num(w.count ? stats.percentileUs(q * 100) / 1e6 : NaN)}`);
    this.lines.push(`${name}_sum${labelText(labels)} ${num((w.mean * w.count) / 1e6)}`, `${name}_count${labelText(labels)} ${num(w.count)}`);
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** The content type Prometheus expects for the text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
