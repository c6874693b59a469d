import { ClientStats, LatencyStats, type ClientRecord, type LatencyWire, type PublisherRecord } from '@mdbench/core/internal';
import type { StepFigures } from './objectives.js';

/**
 * One step's figures from the clients' interval records (merged exactly, as mdbench-report does)
 * and the publisher's summary: latency over the intervals after the warm-up; counts over the whole
 * step and its drain, so a message of the step is counted wherever it arrived.
 */
export function stepFigures(
  intervals: ClientRecord[],
  pub: PublisherRecord,
  w: { startMs: number; warmEndMs: number; endMs: number; drainEndMs: number },
  oneToOne: boolean,
): StepFigures {
  const inWindow = (r: ClientRecord, from: number, to: number) => {
    const t = Date.parse(r.ts);
    return t > from && t <= to;
  };
  const whole = new ClientStats();
  const measured = new ClientStats();
  for (const r of intervals) {
    if (inWindow(r, w.startMs, w.drainEndMs)) whole.addWire(r);
    if (inWindow(r, w.warmEndMs, w.endMs)) measured.addWire(r);
  }
  const lat = measured.latency;
  const ms = (us: number) => us / 1000;
  const lag = LatencyStats.fromWire(pub.lag as LatencyWire);
  const received = whole.count('messages');
  return {
    targetRatePerSec: pub.targetRatePerSec,
    achievedPerSec: pub.totalSent / pub.seconds,
    deliveredPerSec: measured.flowRatePerSec,
    published: pub.totalSent,
    received,
    gaps: whole.count('gaps'),
    p50Ms: ms(lat.percentileUs(50)),
    p99Ms: ms(lat.percentileUs(99)),
    p999Ms: ms(lat.percentileUs(99.9)),
    meanMs: ms(lat.welford.mean),
    maxMs: lat.welford.count ? ms(lat.welford.max) : 0,
    lagP99Ms: ms(lag.percentileUs(99)),
    loopP99Ms: measured.loopP99Ms,
    // With one subscriber per subject every published message is due exactly once.
    missing: oneToOne ? Math.max(0, pub.totalSent - received - whole.count('gaps')) : 0,
  };
}
