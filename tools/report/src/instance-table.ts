import { formatFixed, formatInt } from '@mdbench/core/internal';
import { FleetStats, type InstanceRun } from './merge.js';

export interface InstanceRow {
  instance: number;
  host: string;
  messages: number;
  ratePerSec: number;
  meanMs: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  clockOffsetMs: number | null;
  flags: string[];
}

/** An instance differs when its mean or p99 latency is over twice the median, or its rate 20% off. */
const DIFFER_LATENCY_FACTOR = 2;
const DIFFER_RATE_PCT = 20;
/** A clock offset beyond this distorts latency measured across hosts. */
const CLOCK_FLAG_MS = 1;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

export function instanceRows(runs: InstanceRun[]): InstanceRow[] {
  const rows = runs.map((r) => {
    const f = new FleetStats();
    if (r.summary) f.add(r.summary);
    const m = f.stats;
    const errors = m.errorCount + m.count('gaps') + m.count('malformed') + f.gauges.failed;
    return {
      instance: r.instance,
      host: r.host,
      messages: m.count('messages'),
      ratePerSec: m.flowRatePerSec || (f.seconds > 0 ? m.count('messages') / f.seconds : 0),
      meanMs: m.latency.welford.mean / 1000,
      p99Ms: m.latency.percentileUs(99) / 1000,
      maxMs: m.latency.welford.count ? m.latency.welford.max / 1000 : 0,
      errors,
      clockOffsetMs: r.clockOffsetUs === null ? null : r.clockOffsetUs / 1000,
      flags: [] as string[],
    };
  });
  const mMean = median(rows.map((r) => r.meanMs));
  const mP99 = median(rows.map((r) => r.p99Ms));
  const mRate = median(rows.map((r) => r.ratePerSec));
  for (const r of rows) {
    if (rows.length > 1 && mMean > 0 && r.meanMs > DIFFER_LATENCY_FACTOR * mMean) r.flags.push('latency mean');
    if (rows.length > 1 && mP99 > 0 && r.p99Ms > DIFFER_LATENCY_FACTOR * mP99) r.flags.push('latency p99');
    if (rows.length > 1 && mRate > 0 && Math.abs(r.ratePerSec - mRate) / mRate > DIFFER_RATE_PCT / 100) r.flags.push('message rate');
    if (r.errors > 0) r.flags.push('errors');
    if (r.clockOffsetMs !== null && Math.abs(r.clockOffsetMs) > CLOCK_FLAG_MS) r.flags.push('clock offset');
  }
  return rows;
}

export function instanceTableText(rows: InstanceRow[]): string[] {
  const head = ['instance', 'host', 'messages', 'msg/s', 'mean ms', 'p99 ms', 'max ms', 'errors', 'clock ms', 'differs'];
  const body = rows.map((r) => [
    String(r.instance),
    r.host,
    formatInt(r.messages),
    formatFixed(r.ratePerSec, 1),
    formatFixed(r.meanMs, 3),
    formatFixed(r.p99Ms, 3),
    formatFixed(r.maxMs, 3),
    formatInt(r.errors),
    r.clockOffsetMs === null ? 'n/a' : formatFixed(r.clockOffsetMs, 3),
    r.flags.length ? r.flags.join(', ') : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)];
}
