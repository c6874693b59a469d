import { ClientStats, sumGauges, type BandwidthRates, type ClientGauges, type ClientRecord } from '@mdbench/core/internal';
import { isClient, isPublisher, type LogRecord } from './read-logs.js';

type ClientLog = ClientRecord & { _file: string };

/**
 * Client records merged exactly: statistics by ClientStats, gauges by sumGauges (counts add, the
 * ramp's marks take min/max). Gauges are a state, not a delta: an instance whose records came
 * closer together than the grid counts once, with its latest gauges.
 */
export class FleetStats {
  readonly stats = new ClientStats();
  private readonly gaugesByInstance = new Map<string, ClientGauges>();
  private readonly secondsByInstance = new Map<string, number>();
  /** The longest time an instance's records merged here cover, s. */
  seconds = 0;

  add(r: ClientRecord, instanceKey: string = `#${this.gaugesByInstance.size}`): void {
    this.stats.addWire(r);
    this.gaugesByInstance.set(instanceKey, r.gauges);
    const covered = (this.secondsByInstance.get(instanceKey) ?? 0) + (r.seconds ?? 0);
    this.secondsByInstance.set(instanceKey, covered);
    this.seconds = Math.max(this.seconds, covered);
  }

  /** An instance's state carried into a slot its records skipped (it reported before and after it): its gauges as last reported. */
  carry(instanceKey: string, gauges: ClientGauges): void {
    if (!this.gaugesByInstance.has(instanceKey)) this.gaugesByInstance.set(instanceKey, gauges);
  }

  get gauges(): ClientGauges {
    return sumGauges([...this.gaugesByInstance.values()]);
  }
}

/** An instance: one client process tree's records (one file, or one host+pid). */
export interface InstanceRun {
  key: string;
  instance: number;
  host: string;
  file: string;
  summary: ClientLog | undefined;
  intervals: ClientLog[];
  clockOffsetUs: number | null;
}

export function clientInstances(records: LogRecord[]): InstanceRun[] {
  const byKey = new Map<string, InstanceRun>();
  for (const r of records) {
    if (!isClient(r)) continue;
    const key = `${r.host}/${r.pid}/${r._file}`;
    let run = byKey.get(key);
    if (!run)
      byKey.set(
        key,
        (run = { key, instance: r.instance ?? 1, host: r.host, file: r._file, summary: undefined, intervals: [], clockOffsetUs: r.clockOffsetUs ?? null }),
      );
    if (r.type === 'summary') run.summary = r;
    else if (r.type === 'interval') run.intervals.push(r);
  }
  return [...byKey.values()].sort((a, b) => a.instance - b.instance || a.key.localeCompare(b.key));
}

/** The whole run over every instance. */
export function mergeSummaries(runs: InstanceRun[]): FleetStats {
  const m = new FleetStats();
  for (const r of runs) if (r.summary) m.add(r.summary);
  return m;
}

/** One point in time of the merged run: every instance's interval that ended in the same slot. */
export interface MergedInterval {
  /** Epoch ms of the slot's end. */
  atMs: number;
  /** Seconds since the earliest start. */
  atS: number;
  fleet: FleetStats;
  seconds: number;
  /** The publishers' target and achieved rates summed (messages/s). */
  targetRatePerSec: number;
  publishedPerSec: number;
  /** Traffic summed over hosts (each host's interface counted once, whichever tool reported it). */
  bandwidth: Omit<BandwidthRates, 'interface'> | null;
}

/** Gauges are a state: a slot an instance's records skipped (records further apart than the grid) shows its last gauges, between its first and last record. */
function carryGauges(ordered: MergedInterval[], runs: InstanceRun[], spans: Map<string, { first: number; last: number }>): void {
  for (const run of runs) {
    const span = spans.get(run.key);
    if (!span) continue;
    let latest: ClientGauges | null = null;
    let next = 0;
    const own = [...run.intervals].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
    for (const m of ordered) {
      if (m.atS < span.first || m.atS > span.last) continue;
      while (next < own.length && Date.parse(own[next].ts) <= m.atMs + 500) latest = own[next++].gauges;
      if (latest) m.fleet.carry(run.key, latest);
    }
  }
}

/** Sums each host's traffic once: records of several tools on one host measure the same interface. */
function bandwidthOf(byHost: Map<string, BandwidthRates>): MergedInterval['bandwidth'] {
  if (byHost.size === 0) return null;
  const b = { inBytesPerSec: 0, outBytesPerSec: 0, inPacketsPerSec: 0, outPacketsPerSec: 0 };
  for (const r of byHost.values()) {
    b.inBytesPerSec += r.inBytesPerSec;
    b.outBytesPerSec += r.outBytesPerSec;
    b.inPacketsPerSec += r.inPacketsPerSec;
    b.outPacketsPerSec += r.outPacketsPerSec;
  }
  return b;
}

/** The slots' origin (epoch ms) and length (s). */
export interface SlotGrid {
  t0: number;
  stepS: number;
}

/**
 * The grid of the client intervals: their --interval setting (the longest, when instances differ),
 * or in older logs the median interval length (each instance's first left out when others are
 * there: it wobbles most); from the earliest instance's start; null without intervals.
 */
export function gridOf(runs: InstanceRun[]): SlotGrid | null {
  const all = runs.flatMap((r) => r.intervals);
  if (all.length === 0) return null;
  const set = all.map((r) => r.intervalS).filter((s): s is number => typeof s === 'number' && s > 0);
  const later = runs.flatMap((r) => r.intervals.slice(1));
  const lengths = (later.length ? later : all).map((r) => r.seconds).sort((a, b) => a - b);
  // Measured, snapped to 50 ms: an interval is set in seconds (0.1 at least), what it measures
  // wobbles by up to 20 ms, and a grid a few ms off drifts a slot in a few hundred intervals.
  const stepS = set.length ? Math.max(...set) : Math.max(0.1, Math.round(lengths[Math.floor(lengths.length / 2)] * 20) / 20);
  const starts = runs.filter((r) => r.intervals.length).map((r) => Date.parse(r.intervals[0].ts) - r.intervals[0].seconds * 1000);
  return { t0: Math.min(...starts), stepS };
}

/**
 * Merges intervals across instances by when they ended, on a grid of the median client interval
 * length: instances started a little apart still land in the same slot. Publisher and server
 * interval records join the slot they end in (their rates and bandwidth).
 */
export function mergeIntervals(runs: InstanceRun[], records: LogRecord[] = [], grid: SlotGrid | null = gridOf(runs)): MergedInterval[] {
  if (!grid) return [];
  const { t0, stepS } = grid;
  const slots = new Map<number, MergedInterval & { hosts: Map<string, BandwidthRates> }>();
  const slotOf = (ts: string) => {
    const slot = Math.max(1, Math.round((Date.parse(ts) - t0) / 1000 / stepS));
    let m = slots.get(slot);
    if (!m)
      slots.set(
        slot,
        (m = {
          atMs: t0 + slot * stepS * 1000,
          atS: slot * stepS,
          fleet: new FleetStats(),
          seconds: 0,
          targetRatePerSec: 0,
          publishedPerSec: 0,
          bandwidth: null,
          hosts: new Map(),
        }),
      );
    return m;
  };
  const spans = new Map<string, { first: number; last: number }>();
  for (const run of runs) {
    for (const r of run.intervals) {
      const m = slotOf(r.ts);
      m.fleet.add(r, run.key);
      m.seconds = m.fleet.seconds;
      if (r.bandwidth && !m.hosts.has(r.host)) m.hosts.set(r.host, r.bandwidth);
      const span = spans.get(run.key) ?? { first: m.atS, last: m.atS };
      spans.set(run.key, { first: Math.min(span.first, m.atS), last: Math.max(span.last, m.atS) });
    }
  }
  carryGauges(
    [...slots.values()].sort((a, b) => a.atS - b.atS),
    runs,
    spans,
  );
  // Publisher and server intervals join the client slot they end in; they open none of their own.
  // A publisher's records within one slot are one rate (what it sent over the time they cover) and one target.
  const published = new Map<MergedInterval, Map<string, { sent: number; seconds: number; target: number }>>();
  for (const r of records) {
    if (r.type !== 'interval' || isClient(r)) continue;
    const m = slots.get(Math.max(1, Math.round((Date.parse(r.ts) - t0) / 1000 / stepS)));
    if (!m) continue;
    if (isPublisher(r)) {
      const byPublisher = published.get(m) ?? published.set(m, new Map()).get(m)!;
      const key = `${r.host}/${r.pid}/${r._file}`;
      const p = byPublisher.get(key) ?? { sent: 0, seconds: 0, target: 0 };
      byPublisher.set(key, { sent: p.sent + r.sent, seconds: p.seconds + r.seconds, target: r.targetRatePerSec });
    }
    if (r.bandwidth && !m.hosts.has(r.host)) m.hosts.set(r.host, r.bandwidth);
  }
  for (const [m, byPublisher] of published) {
    for (const p of byPublisher.values()) {
      m.targetRatePerSec += p.target;
      m.publishedPerSec += p.seconds > 0 ? p.sent / p.seconds : 0;
    }
  }
  return [...slots.values()].sort((a, b) => a.atS - b.atS).map(({ hosts, ...m }) => ({ ...m, bandwidth: bandwidthOf(hosts) }));
}
