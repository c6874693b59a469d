import { LatencyStats, addCounters, type Counters } from '@mdbench/core';
import type { ClientDelta } from './worker-protocol.js';

/** Statistics merged over workers: exact Welford merge and histogram addition, counters summed. */
export class RunStats {
  readonly latency = new LatencyStats();
  readonly latencyOther = new LatencyStats();
  readonly counters: Counters = {};
  readonly errors: Counters = {};
  loopP99Ms = 0;
  loopMaxMs = 0;

  add(d: ClientDelta): void {
    this.latency.mergeWire(d.latency);
    this.latencyOther.mergeWire(d.latencyOther);
    addCounters(this.counters, d.counters);
    addCounters(this.errors, d.errors);
    this.loopP99Ms = Math.max(this.loopP99Ms, d.loopDelay.p99Ms);
    this.loopMaxMs = Math.max(this.loopMaxMs, d.loopDelay.maxMs);
  }

  merge(other: RunStats): void {
    this.latency.merge(other.latency);
    this.latencyOther.merge(other.latencyOther);
    addCounters(this.counters, other.counters);
    addCounters(this.errors, other.errors);
    this.loopP99Ms = Math.max(this.loopP99Ms, other.loopP99Ms);
    this.loopMaxMs = Math.max(this.loopMaxMs, other.loopMaxMs);
  }

  count(key: string): number {
    return this.counters[key] ?? 0;
  }

  toJSON(): Record<string, unknown> {
    return {
      latency: this.latency.toWire(),
      latencyOther: this.latencyOther.toWire(),
      counters: this.counters,
      errors: this.errors,
      loopDelay: { p99Ms: this.loopP99Ms, maxMs: this.loopMaxMs },
    };
  }
}
