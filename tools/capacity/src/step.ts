import path from 'node:path';
import { formatFixed, formatInt, type ClientRecord, type ConfigOf, type PublisherRecord } from '@mdbench/core/internal';
import { type ChildTool, ramp, records, start, stopTool } from './children.js';
import { judge, type Objective, type StepFigures } from './objectives.js';
import type { capacitySpecs } from './options.js';
import { stepFigures } from './window.js';

export type CapacityConfig = ConfigOf<typeof capacitySpecs>;

/** What one step asked for and what came of it. */
export interface StepResult {
  step: number;
  value: number;
  figures: StepFigures | null;
  held: boolean;
  /** Objectives that broke, with what was measured; or why the step could not run. */
  broken: string[];
}

/** What every step of a search runs with: the tools, their options, where their logs go, the client running. */
export interface SearchRig {
  cfg: CapacityConfig;
  byRate: boolean;
  dir: string;
  objectives: Objective[];
  client: { bin: string; flags: string[]; secrets: Record<string, string> };
  publisher: { bin: string; flags: string[]; secrets: Record<string, string> };
  /** The client running now (the whole search when the rate varies, one step when the connections do). */
  running: ChildTool | null;
}

/** Starts the client with `n` connections (its own count when undefined), logging to `file`; resolves once it has ramped. */
export async function startClient(rig: SearchRig, n: number | undefined, file: string): Promise<{ open: number; subscribed: number; failed: number }> {
  const count = n !== undefined ? ['--clients', String(n)] : [];
  rig.running = start(rig.client.bin, [...rig.client.flags, ...count, '--interval', '1', '--duration', '0', '--json', file], rig.client.secrets);
  return ramp(rig.running, 600_000);
}

/** Stops the client running, if any. */
export async function stopClient(rig: SearchRig): Promise<void> {
  const c = rig.running;
  rig.running = null;
  if (c) await stopTool(c);
}

/** One step: (the connections ramped,) the publisher run for --step-seconds, the client's figures judged. */
export async function runStep(rig: SearchRig, k: number, value: number, clientJson: string): Promise<StepResult> {
  const { cfg, byRate } = rig;
  const result: StepResult = { step: k, value, figures: null, held: false, broken: [] };
  let file = clientJson;
  if (!byRate) {
    file = path.join(rig.dir, `client-${k}.jsonl`);
    const r = await startClient(rig, value, file);
    if (r.subscribed < value || r.failed > 0)
      result.broken.push(`ramp: ${formatInt(r.subscribed)} of ${formatInt(value)} subscribed, ${formatInt(r.failed)} failed`);
  }
  if (result.broken.length === 0) await measure(rig, k, byRate ? value : cfg.frequency, file, result);
  if (!byRate) await stopClient(rig);
  result.held = result.broken.length === 0;
  return result;
}

/** Publishes at `rate` for the step, then reads the client's intervals of the step's window and judges them. */
async function measure(rig: SearchRig, k: number, rate: number, clientFile: string, result: StepResult): Promise<void> {
  const { cfg } = rig;
  const pubJson = path.join(rig.dir, `publisher-${k}.jsonl`);
  const startMs = Date.now();
  const args = [
    ...rig.publisher.flags,
    '--frequency',
    String(rate),
    '--duration',
    String(cfg.stepSeconds),
    '--interval',
    String(cfg.stepSeconds),
    '--json',
    pubJson,
  ];
  const pub = start(rig.publisher.bin, args, rig.publisher.secrets);
  const code = await pub.exited;
  const endMs = Date.now();
  const summary = records<PublisherRecord>(pubJson).find((x) => x.type === 'summary');
  if (!summary) {
    result.broken.push(`the publisher failed (exit ${code}): ${pub.out().trim().split('\n').at(-1)}`);
    return;
  }
  await new Promise((r) => setTimeout(r, (cfg.drainSeconds + 1.2) * 1000));
  const intervals = records<ClientRecord>(clientFile).filter((x) => x.type === 'interval');
  const window = { startMs, warmEndMs: startMs + cfg.warmupSeconds * 1000, endMs, drainEndMs: endMs + cfg.drainSeconds * 1000 };
  result.figures = stepFigures(intervals, summary, window, Boolean(cfg.oneToOne));
  for (const o of rig.objectives) {
    const j = judge(o, result.figures);
    if (!j.held) result.broken.push(`${o.text}: ${formatFixed(j.measured, 2)}`);
  }
}

/** The step's line: what was asked, what came of it, and the verdict. */
export function stepLine(step: StepResult, unit: string): string {
  const f = step.figures;
  const what = `${formatInt(step.value)} ${unit}`;
  if (!f) return `${what}: ${step.broken.join('; ')}`;
  return (
    `${what}: published ${formatFixed(f.achievedPerSec, 1)}/s, delivered ${formatFixed(f.deliveredPerSec, 1)}/s, latency p99 ${formatFixed(f.p99Ms, 2)} ms (mean ${formatFixed(f.meanMs, 2)}, max ${formatFixed(f.maxMs, 2)}), ` +
    `lost ${formatInt(f.gaps + f.missing)}, lag p99 ${formatFixed(f.lagP99Ms, 2)} ms, client loop p99 ${formatFixed(f.loopP99Ms, 2)} ms: ${step.held ? 'held' : `broke (${step.broken.join('; ')})`}`
  );
}
