import type { Verdict } from '../thresholds/threshold.js';
import type { ClientGauges, ClientStatsWire } from '../stats/client-stats.js';
import type { Counters } from '../stats/counters.js';
import type { LatencyWire } from '../stats/latency.js';
import type { BandwidthRates } from '../system/bandwidth.js';
import type { SubjectSet } from '../plan/subject-set.js';

/** Version of the JSON-lines record format (docs/json-lines.md). */
export const JSON_LINES_VERSION = 1;

type ToolName = 'mdbench-client' | 'mdbench-publisher' | 'mdbench-server';
/** `interval` (deltas), `warmup` (an interval inside --warmup), `summary` (the whole run), `step` (one capacity-search step). */
type RecordType = 'interval' | 'warmup' | 'summary' | 'step';

/** The fields every record of every tool carries (docs/json-lines.md). */
interface RecordHeader {
  v: typeof JSON_LINES_VERSION;
  type: RecordType;
  tool: ToolName;
  version: string;
  host: string;
  pid: number;
  /** 1-based instance of `instances` in the fleet. */
  instance: number;
  instances: number;
  /** Worker processes behind this record. */
  processes: number;
  /** ISO time of the record. */
  ts: string;
  /** Seconds since the start, and seconds the record covers. */
  uptimeS: number;
  seconds: number;
  /** Network traffic of the host's interface over the record, when measured. */
  bandwidth?: BandwidthRates;
}

/** Memory of the processes behind a record. */
interface MemoryFields {
  rssBytes: number;
  heapUsedBytes: number;
}

export interface ClientRecord extends RecordHeader, ClientStatsWire, MemoryFields {
  tool: 'mdbench-client';
  protocol: string;
  configDigest: string;
  /** Server clock minus this host's, µs (null: not measured). */
  clockOffsetUs: number | null;
  clockRttUs: number | null;
  gauges: ClientGauges;
  /** Summed RSS of the workers when they started, before any connection. */
  rssStartBytes: number;
  perProcess: { worker: number; rssBytes: number; heapUsedBytes: number }[];
  /** The summary's verdict on each --thresholds threshold. */
  thresholds?: Verdict[];
  /** The subjects this instance subscribes over (the whole list, before any instance's share) and its planned subscriptions. */
  subjectSet?: SubjectSet;
  subscriptions?: number;
  /** The --interval setting, s: the report's merge grid (what `seconds` measures wobbles, and on a loaded host a late report is followed by short ones). */
  intervalS?: number;
  /** True when every subject of the list gets the same number of subscriptions over the fleet (one-to-one over whole rounds, or all on all): the report's expected deliveries are then exact. */
  evenSubscriptions?: boolean;
  /** Why the run is not ok beyond the counters: `backlog` when latency grew without bound. */
  backlog?: { fromMs: number; toMs: number; overS: number };
  /** (Intervals of a moving population: --lifetime, --arrival-rate) the subscribed gauge's lowest, mean and highest over the interval's 250 ms samples. */
  population?: { min: number; mean: number; max: number };
  /**
   * Reconnect storms and the recovery from each (mdbench-client's own view): when, how many
   * dropped, seconds until 50/90/99/100% were back (`backS.p50`...), attempts, peak rate, loss.
   */
  recoveries?: {
    atS: number;
    cause: 'made' | 'seen';
    dropped: number;
    backS: Partial<Record<'p50' | 'p90' | 'p99' | 'p100', number>>;
    attempts: number;
    peakPerS: number;
    lost: number;
  }[];
}

export interface PublisherRecord extends RecordHeader, MemoryFields {
  tool: 'mdbench-publisher';
  protocol: string;
  publisherId: number;
  /** Messages sent in the record, and since the start. */
  sent: number;
  totalSent: number;
  /** Bytes written since the start. */
  bytes: number;
  targetRatePerSec: number;
  rateErrorPct: number;
  /** Schedule lag (send time minus scheduled time), µs. */
  lag: LatencyWire;
  backlogBytes: number;
  loopDelay: { p99Ms: number; maxMs: number };
  /** QoS 1: publishes acknowledged in the record and unacknowledged at its end. */
  acked: number;
  inflight: number;
  /** Connection errors and refusals by cause, additive. */
  errors: Counters;
  /** The summary's verdict on each --thresholds threshold. */
  thresholds?: Verdict[];
  /** The subjects the publishers publish over (the whole list, before this instance's share): the report pairs it with the clients'. */
  subjectSet?: SubjectSet;
}

export interface ServerRecord extends RecordHeader, MemoryFields {
  tool: 'mdbench-server';
  connections: number;
  subscriptions: number;
  subjects: number;
  workers: number;
  hubForwarded: number;
  /** Counts since the start and over the record: messagesIn, messagesOut, bytesOut, slowDrops, slowDisconnects, malformed, oversized, rejected, upgradesRefused... */
  totals: Counters;
  interval: Counters;
}

export type MdbenchRecord = ClientRecord | PublisherRecord | ServerRecord;
