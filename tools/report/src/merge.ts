import { LatencyStats, addCounters, type Counters } from '@mdbench/core';
import type { LogRecord } from './read-logs.js';

/** Client statistics merged exactly: Welford states by Chan's formula, histograms added, counts summed. */
export class MergedClient {
  readonly latency = new LatencyStats();
  readonly latencyOther = new LatencyStats();
  readonly counters: Counters = {};
  readonly errors: Counters = {};
  gauges: Counters = {};
  seconds = 0;
  loopP99Ms = 0;

  add(r: LogRecord): void {
    this.latency.mergeWire(r.latency);
    this.latencyOther.mergeWire(r.latencyOther);
    addCounters(this.counters, r.counters ?? {});
    addCounters(this.errors, r.errors ?? {});
    for (const [k, v] of Object.entries<number>(r.gauges ?? {})) if (k !== 'firstConnectMs' && k !== 'lastSubscribedMs') this.gauges[k] = (this.gauges[k] ?? 0) + v;
    this.seconds = Math.max(this.seconds, r.seconds ?? 0);
    this.loopP99Ms = Math.max(this.loopP99Ms, r.loopDelay?.p99Ms ?? 0);
  }

  count(k: string): number {
    return this.counters[k] ?? 0;
  }
}

/** An instance: one client process tree's records (one file, or one host+pid). */
export interface InstanceRun {
  key: string;
  instance: number;
  host: string;
  file: string;
  summary: LogRecord | undefined;
  intervals: LogRecord[];
  clockOffsetUs: number | null;
}

export function clientInstances(records: LogRecord[]): InstanceRun[] {
  const byKey = new Map<string, InstanceRun>();
  for (const r of records) {
    if (r.tool !== 'mdbench-client') continue;
    const key = `${r.host}/${r.pid}/${r._file}`;
    let run = byKey.get(key);
    if (!run) byKey.set(key, (run = { key, instance: r.instance ?? 1, host: r.host, file: r._file, summary: undefined, intervals: [], clockOffsetUs: r.clockOffsetUs ?? null }));
    if (r.type === 'summary') run.summary = r;
    else if (r.type === 'interval') run.intervals.push(r);
  }
  return [...byKey.values()].sort((a, b) => a.instance - b.instance || a.key.localeCompare(b.key));
}

/** The whole run over every instance. */
export function mergeSummaries(runs: InstanceRun[]): MergedClient {
  const m = new MergedClient();
  for (const r of runs) if (r.summary) m.add(r.summary);
  return m;
}

/** One point in time of the merged run: every instance's interval that ended in the same slot. */
export interface MergedInterval {
  /** Seconds since the earliest start. */
  atS: number;
  stats: MergedClient;
  seconds: number;
}

/**
 * Merges intervals across instances by when they ended, on a grid of the median interval length:
 * instances started a little apart still land in the same slot.
 */
export function mergeIntervals(runs: InstanceRun[]): MergedInterval[] {
  const all = runs.flatMap((r) => r.intervals);
  if (all.length === 0) return [];
  const lengths = all.map((r) => r.seconds).sort((a, b) => a - b);
  const stepS = Math.max(0.1, lengths[Math.floor(lengths.length / 2)]);
  const starts = runs.filter((r) => r.intervals.length).map((r) => Date.parse(r.intervals[0].ts) - r.intervals[0].seconds * 1000);
  const t0 = Math.min(...starts);
  const slots = new Map<number, MergedInterval>();
  for (const r of all) {
    const slot = Math.max(1, Math.round((Date.parse(r.ts) - t0) / 1000 / stepS));
    let m = slots.get(slot);
    if (!m) slots.set(slot, (m = { atS: slot * stepS, stats: new MergedClient(), seconds: 0 }));
    m.stats.add(r);
    m.seconds = Math.max(m.seconds, r.seconds);
  }
  return [...slots.values()].sort((a, b) => a.atS - b.atS);
}
