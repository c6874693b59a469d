// Latency of a run split in time, from a client's --json records (taken with --interval 1): the
// cold start (the first seconds of messages, while every process compiles its hot paths and the
// queues built meanwhile drain) and the steady state after it, each merged exactly (HdrHistogram).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LatencyStats } from '@mdbench/core/internal';
import { Proc, jsonLines, sleep } from './processes.mjs';

/** p99 (ms) of the merged latency of `records`, or NaN when they hold no message. */
function p99Of(records) {
  const merged = new LatencyStats();
  for (const r of records) merged.merge(LatencyStats.fromWire(r.latency));
  return merged.welford.count ? merged.percentileUs(99) / 1000 : NaN;
}

/**
 * A client's JSON-lines file read as a run: messages/s over the time they flowed, mean and p99 of
 * the whole run, p99 of the cold start (the first `coldS` intervals with messages) and of the steady
 * state (the intervals after, the last one dropped: the publisher's end cuts it), the worst steady
 * second, gaps and the client's event-loop p99.
 */
function latencyPhases(file, coldS = 2) {
  const records = jsonLines(readFileSync(file, 'utf8'));
  const s = records.find((r) => r.type === 'summary');
  const flowing = records.filter((r) => (r.type === 'interval' || r.type === 'warmup') && (r.counters?.messages ?? 0) > 0).slice(0, -1);
  const cold = flowing.slice(0, coldS);
  const steady = flowing.slice(coldS);
  const perSecond = steady.map((r) => p99Of([r]));
  return {
    messages: s.counters.messages,
    perSec: s.counters.messages / ((s.lastMessageUs - s.firstMessageUs) / 1e6),
    meanMs: LatencyStats.fromWire(s.latency).welford.mean / 1000,
    p99Ms: p99Of([s]),
    coldMs: p99Of(cold),
    steadyMs: p99Of(steady),
    steadyWorstMs: Math.max(...perSecond),
    steadySeconds: steady.length,
    secondsOver: (limitMs) => perSecond.filter((v) => v > limitMs).length,
    gaps: s.counters.gaps ?? 0,
    loopP99Ms: s.loopDelay.p99Ms,
  };
}

/**
 * Runs mdbench-client (`clientArgs`: who subscribes to what) against the server on `port`, reporting
 * every second into `dir/name.jsonl`; once every connection is subscribed, `publish()` sends the
 * messages; two seconds after it returns the client is stopped and its run read by latencyPhases.
 */
export async function measureClient({ port, dir, name, clientArgs, seconds, coldS }, publish) {
  const json = join(dir, `${name}.jsonl`);
  const client = new Proc(
    'client',
    [
      '-s',
      `127.0.0.1:${port}`,
      ...clientArgs,
      '--semi-space-mb',
      '16',
      '--interval',
      '1',
      '--duration',
      String(seconds + 60),
      '--clock-samples',
      '0',
      '--json',
      json,
    ],
    { echo: true },
  );
  await client.waitFor(/Connected: [\d,]+ open, [\d,]+ subscribed/, 60_000);
  await publish();
  await sleep(2000);
  client.kill('SIGINT');
  await client.exited;
  return latencyPhases(json, coldS);
}
