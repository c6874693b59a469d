import { addCounters, type Counters } from './counters.js';
import { LatencyStats, type LatencyWire } from './latency.js';
import { PhaseStats, type PhasesWire } from './phases.js';

/** Connections of a client by state, and the epoch-ms marks of its ramp. */
export interface ClientGauges {
  /** WebSocket open (protocol session starting or up). */
  open: number;
  /** Protocol session established (CONNACK, CONNECTED, PONG...). */
  connected: number;
  /** Every subscription acknowledged. */
  subscribed: number;
  /** TCP connect or WebSocket upgrade in progress. */
  connecting: number;
  /** Dropped, waiting out the backoff before reconnecting. */
  reconnecting: number;
  planned: number;
  /** Dropped for good (reconnecting off). */
  failed: number;
  /** Connection attempts since the start (first connects and reconnects). */
  attempts: number;
  /** Epoch ms of the first connect attempt, of the latest WebSocket opened, of the latest subscription acknowledged (0: none yet). */
  firstConnectMs: number;
  lastOpenMs: number;
  lastSubscribedMs: number;
}

export function emptyGauges(planned = 0): ClientGauges {
  return {
    open: 0,
    connected: 0,
    subscribed: 0,
    connecting: 0,
    reconnecting: 0,
    planned,
    failed: 0,
    attempts: 0,
    firstConnectMs: 0,
    lastOpenMs: 0,
    lastSubscribedMs: 0,
  };
}

/** Gauges of several processes or instances: counts add up, the ramp's marks take the earliest start and the latest ends. */
export function sumGauges(list: Iterable<ClientGauges>): ClientGauges {
  const g = emptyGauges();
  for (const x of list) {
    g.open += x.open;
    g.connected += x.connected ?? 0;
    g.subscribed += x.subscribed;
    g.connecting += x.connecting;
    g.reconnecting += x.reconnecting;
    g.planned += x.planned;
    g.failed += x.failed;
    g.attempts += x.attempts ?? 0;
    if (x.firstConnectMs > 0 && (g.firstConnectMs === 0 || x.firstConnectMs < g.firstConnectMs)) g.firstConnectMs = x.firstConnectMs;
    g.lastOpenMs = Math.max(g.lastOpenMs, x.lastOpenMs);
    g.lastSubscribedMs = Math.max(g.lastSubscribedMs, x.lastSubscribedMs);
  }
  return g;
}

/** A subscriber's statistics as they travel between processes and machines (and in JSON lines). */
export interface ClientStatsWire {
  latency: LatencyWire;
  latencyOther: LatencyWire;
  /** Additive counts: messages, bytes, gaps, duplicates, outOfOrder, unstamped, malformed, disconnects, reconnects, downMs... */
  counters: Counters;
  /** Connection errors and refusals by cause, additive. */
  errors: Counters;
  /** Worst event-loop delay of the processes, ms. */
  loopDelay: { p99Ms: number; maxMs: number };
  /** Epoch µs of the first and the last message received (0: none): the span the messages flowed over. */
  firstMessageUs: number;
  lastMessageUs: number;
  /** Durations of the connection attempts' phases (absent in logs before they were measured). */
  phases?: PhasesWire;
  /** Round trips of requests answered, µs (--request-rate; absent when none were made). */
  rtt?: LatencyWire;
}

/**
 * Subscriber statistics that merge exactly: Welford states by Chan's formula, histograms by
 * addition, counts summed, the message span by min/max. Workers, coordinators and mdbench-report
 * all use this one type.
 */
export class ClientStats {
  readonly latency = new LatencyStats();
  readonly latencyOther = new LatencyStats();
  readonly phases = new PhaseStats();
  /** Round trips of requests (--request-rate), µs. */
  readonly rtt = new LatencyStats();
  readonly counters: Counters = {};
  readonly errors: Counters = {};
  loopP99Ms = 0;
  loopMaxMs = 0;
  firstMessageUs = 0;
  lastMessageUs = 0;

  addWire(w: ClientStatsWire): void {
    this.latency.mergeWire(w.latency);
    this.latencyOther.mergeWire(w.latencyOther);
    this.phases.mergeWire(w.phases);
    if (w.rtt) this.rtt.mergeWire(w.rtt);
    this.mergeRest(w.counters, w.errors, w.loopDelay.p99Ms, w.loopDelay.maxMs, w.firstMessageUs ?? 0, w.lastMessageUs ?? 0);
  }

  merge(o: ClientStats): void {
    this.latency.merge(o.latency);
    this.latencyOther.merge(o.latencyOther);
    this.phases.merge(o.phases);
    this.rtt.merge(o.rtt);
    this.mergeRest(o.counters, o.errors, o.loopP99Ms, o.loopMaxMs, o.firstMessageUs, o.lastMessageUs);
  }

  private mergeRest(counters: Counters, errors: Counters, p99: number, max: number, first: number, last: number): void {
    addCounters(this.counters, counters);
    addCounters(this.errors, errors);
    this.loopP99Ms = Math.max(this.loopP99Ms, p99);
    this.loopMaxMs = Math.max(this.loopMaxMs, max);
    if (first > 0 && (this.firstMessageUs === 0 || first < this.firstMessageUs)) this.firstMessageUs = first;
    if (last > this.lastMessageUs) this.lastMessageUs = last;
  }

  count(key: string): number {
    return this.counters[key] ?? 0;
  }

  /** Seconds from the first to the last message (0 with fewer than two). */
  get flowSeconds(): number {
    return this.lastMessageUs > this.firstMessageUs ? (this.lastMessageUs - this.firstMessageUs) / 1e6 : 0;
  }

  /** Messages per second over the time messages flowed: first to last message, ramp and idle tail left out. */
  get flowRatePerSec(): number {
    const s = this.flowSeconds;
    return s > 0 ? this.count('messages') / s : 0;
  }

  /** Every connection error and refusal, summed. */
  get errorCount(): number {
    let n = 0;
    for (const v of Object.values(this.errors)) n += v;
    return n;
  }

  toWire(): ClientStatsWire {
    return {
      latency: this.latency.toWire(),
      latencyOther: this.latencyOther.toWire(),
      counters: { ...this.counters },
      errors: { ...this.errors },
      loopDelay: { p99Ms: this.loopP99Ms, maxMs: this.loopMaxMs },
      firstMessageUs: this.firstMessageUs,
      lastMessageUs: this.lastMessageUs,
      phases: this.phases.toWire(),
      ...(this.rtt.welford.count > 0 ? { rtt: this.rtt.toWire() } : {}),
    };
  }
}
