import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ExitCode,
  JsonLinesWriter,
  MdbenchError,
  StopController,
  envName,
  exitWithOutputs,
  formatDefault,
  formatFixed,
  formatInt,
  originOf,
  type ClientRecord,
  type CommandContext,
  type OptionSpec,
  type PublisherRecord,
} from '@mdbench/core';
import { clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';
import { describe, judge, parseObjectives, type Objective, type StepFigures } from './objectives.js';
import { CLIENT_PASS, CONNECTION_PASS, PUBLISHER_PASS, type capacitySpecs } from './options.js';
import { CapacitySearch } from './search.js';
import { stepFigures } from './window.js';
import type { ConfigOf } from '@mdbench/core';

type CapacityConfig = ConfigOf<typeof capacitySpecs>;

const require = createRequire(import.meta.url);
/** The bin of a tool package this one depends on. */
const binOf = (pkg: string, bin: string) => path.join(path.dirname(require.resolve(pkg)), '..', 'bin', bin);

/** `--flag value` for each option of `names` that has a value, as the tool's table spells it. */
export function passFlags(cfg: Record<string, unknown>, specs: readonly OptionSpec[], names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const v = cfg[name];
    const spec = specs.find((s) => s.name === name);
    if (v === undefined || !spec?.flag || spec.secret) continue;
    out.push(`--${spec.flag}`, typeof v === 'object' ? formatDefault(v) : String(v));
  }
  return out;
}

/** The secrets among `names` (tokens, passwords), as the environment variables a child reads: never on its command line, where `ps` shows them. */
export function passSecrets(cfg: Record<string, unknown>, specs: readonly OptionSpec[], names: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const v = cfg[name];
    const spec = specs.find((s) => s.name === name);
    const variable = spec ? envName(spec) : undefined;
    if (v !== undefined && spec?.secret && variable) env[variable] = String(v);
  }
  return env;
}

interface StepResult {
  step: number;
  value: number;
  figures: StepFigures | null;
  held: boolean;
  /** Objectives that broke, with what was measured; or why the step could not run. */
  broken: string[];
}

/** A child tool whose output is kept (its last lines explain a failure). */
function start(bin: string, args: string[], secrets: Record<string, string>): { child: ChildProcess; out: () => string; exited: Promise<number> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...secrets, NO_COLOR: '1' } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = once(child, 'exit').then(([code]) => (code as number | null) ?? 1);
  return { child, out: () => out, exited };
}

/** Waits for the client's ramp: the Connected line, or its exit (one line with its reason). */
async function ramp(client: ReturnType<typeof start>, timeoutMs: number): Promise<{ open: number; subscribed: number; failed: number }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = /Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed/.exec(client.out());
    if (m) return { open: Number(m[1].replace(/,/g, '')), subscribed: Number(m[2].replace(/,/g, '')), failed: Number(m[3].replace(/,/g, '')) };
    if (client.child.exitCode !== null) {
      const why =
        client
          .out()
          .trim()
          .split('\n')
          .filter((l) => /error:/.test(l))[0] ?? client.out().trim().split('\n').at(-1);
      throw new MdbenchError('MDB_UNREACHABLE', `the client stopped before it was connected: ${why?.replace(/^mdbench-client: error: /, '')}`);
    }
    if (Date.now() > end) return { open: 0, subscribed: 0, failed: 0 };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const records = <T>(file: string): T[] => {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
};

/** The step's line: what was asked, what came of it, and the verdict. */
function stepLine(r: StepResult, unit: string): string {
  const f = r.figures;
  const what = `${formatInt(r.value)} ${unit}`;
  if (!f) return `${what}: ${r.broken.join('; ')}`;
  return (
    `${what}: published ${formatFixed(f.achievedPerSec, 1)}/s, delivered ${formatFixed(f.deliveredPerSec, 1)}/s, latency p99 ${formatFixed(f.p99Ms, 2)} ms (mean ${formatFixed(f.meanMs, 2)}, max ${formatFixed(f.maxMs, 2)}), ` +
    `lost ${formatInt(f.gaps + f.missing)}, lag p99 ${formatFixed(f.lagP99Ms, 2)} ms, client loop p99 ${formatFixed(f.loopP99Ms, 2)} ms: ${r.held ? 'held' : `broke (${r.broken.join('; ')})`}`
  );
}

/** Steps the publish rate (or the connection count) until an objective breaks; reports the highest value that held. */
export async function runCapacity(ctx: CommandContext<CapacityConfig>): Promise<number> {
  const cfg = ctx.config;
  const objectives: Objective[] = parseObjectives(cfg.objectives, originOf(ctx.resolved, 'objectives'));
  const values = cfg.steps?.split(',').map((s) => Number(s.trim()));
  if (values?.some((v) => !(v > 0)))
    throw new MdbenchError('MDB_OBJECTIVE', `"${cfg.steps}" is not a list of positive numbers`, { location: originOf(ctx.resolved, 'steps') });
  const search = new CapacitySearch({ values, start: cfg.start, factor: cfg.factor, max: cfg.max, refine: cfg.refine });
  const byRate = cfg.vary === 'rate';
  const unit = byRate ? 'messages/s' : 'connections';
  const dir = mkdtempSync(path.join(tmpdir(), 'mdbench-capacity-'));
  const clientBin = binOf('@mdbench/client', 'mdbench-client.js');
  const publisherBin = binOf('@mdbench/publisher', 'mdbench-publisher.js');
  const clientNames = CLIENT_PASS.filter((n) => byRate || n !== 'clients');
  const clientFlags = passFlags(cfg, clientSpecs, clientNames);
  const clientSecrets = passSecrets(cfg, clientSpecs, clientNames);
  const publisherNames = [
    'serverAddresses',
    'subjects',
    'token',
    'protocol',
    'qos',
    'mqttVersion',
    'clientIdPrefix',
    'user',
    'password',
    'keepalive',
    'destination',
    'mask',
    'seed',
    ...CONNECTION_PASS,
    ...PUBLISHER_PASS,
  ];
  const protocolFlags = passFlags(cfg, publisherSpecs, publisherNames);
  const publisherSecrets = passSecrets(cfg, publisherSpecs, publisherNames);
  const json = cfg.json ? new JsonLinesWriter(cfg.json, (m) => ctx.log.error(m)) : null;
  const stopper = new StopController(ctx.io, 0);
  const results: StepResult[] = [];
  const clientJson = path.join(dir, 'client.jsonl');
  let client: ReturnType<typeof start> | null = null;
  const startClient = async (n: number | undefined, file: string) => {
    client = start(
      clientBin,
      [...clientFlags, ...(n !== undefined ? ['--clients', String(n)] : []), '--interval', '1', '--duration', '0', '--json', file],
      clientSecrets,
    );
    return ramp(client, 600_000);
  };
  ctx.log.info('Capacity search', `stepping the ${byRate ? 'publish rate' : 'connection count'}; objectives: ${objectives.map(describe).join(', ')}`);
  try {
    if (byRate) {
      const r = await startClient(undefined, clientJson);
      ctx.log.info('Clients', `${formatInt(r.subscribed)} subscribed`);
    }
    for (let k = 1; ; k++) {
      const value = search.next();
      if (value === null || stopper.reason) break;
      const result: StepResult = { step: k, value, figures: null, held: false, broken: [] };
      let file = clientJson;
      if (!byRate) {
        file = path.join(dir, `client-${k}.jsonl`);
        const r = await startClient(value, file);
        if (r.subscribed < value || r.failed > 0)
          result.broken.push(`ramp: ${formatInt(r.subscribed)} of ${formatInt(value)} subscribed, ${formatInt(r.failed)} failed`);
      }
      if (result.broken.length === 0) {
        const pubJson = path.join(dir, `publisher-${k}.jsonl`);
        const rate = byRate ? value : cfg.frequency;
        const startMs = Date.now();
        const pub = start(
          publisherBin,
          [...protocolFlags, '--frequency', String(rate), '--duration', String(cfg.stepSeconds), '--interval', String(cfg.stepSeconds), '--json', pubJson],
          publisherSecrets,
        );
        const code = await pub.exited;
        const endMs = Date.now();
        const summary = records<PublisherRecord>(pubJson).find((x) => x.type === 'summary');
        if (!summary) result.broken.push(`the publisher failed (exit ${code}): ${pub.out().trim().split('\n').at(-1)}`);
        else {
          await new Promise((r) => setTimeout(r, (cfg.drainSeconds + 1.2) * 1000));
          const intervals = records<ClientRecord>(file).filter((x) => x.type === 'interval');
          result.figures = stepFigures(
            intervals,
            summary,
            { startMs, warmEndMs: startMs + cfg.warmupSeconds * 1000, endMs, drainEndMs: endMs + cfg.drainSeconds * 1000 },
            Boolean(cfg.oneToOne),
          );
          for (const o of objectives) {
            const j = judge(o, result.figures);
            if (!j.held) result.broken.push(`${o.text}: ${formatFixed(j.measured, 2)}`);
          }
        }
      }
      if (!byRate && client) {
        (client as ReturnType<typeof start>).child.kill('SIGINT');
        await (client as ReturnType<typeof start>).exited;
        client = null;
      }
      result.held = result.broken.length === 0;
      search.record(value, result.held);
      results.push(result);
      ctx.log.info(`Step ${k}`, stepLine(result, unit));
      json?.write({ type: 'step', ...result } as never);
    }
  } finally {
    if (client) {
      (client as ReturnType<typeof start>).child.kill('SIGINT');
      await (client as ReturnType<typeof start>).exited;
    }
    stopper.dispose();
  }
  for (const line of tableLines(results, unit)) ctx.log.info('Steps', line);
  const best = results.filter((r) => r.held).sort((a, b) => b.value - a.value)[0];
  const broke = results.filter((r) => !r.held).sort((a, b) => a.value - b.value)[0];
  const summary = {
    type: 'capacity',
    vary: cfg.vary,
    objectives: objectives.map((o) => o.text),
    capacity: best?.value ?? null,
    deliveredPerSec: best?.figures?.deliveredPerSec ?? null,
    firstBroken: broke ? { value: broke.value, broken: broke.broken } : null,
    steps: results.length,
  };
  json?.write(summary as never);
  json?.close();
  if (!best) {
    ctx.log.info('Result', `no step held: ${broke ? `${formatInt(broke.value)} ${unit} broke ${broke.broken.join('; ')}` : 'nothing was tried'}`);
    return exitWithOutputs(ExitCode.RUN_ERRORS, [json?.file]);
  }
  ctx.log.info(
    'Capacity',
    `${formatInt(best.value)} ${unit} held (delivered ${formatFixed(best.figures?.deliveredPerSec ?? 0, 1)} messages/s, latency p99 ${formatFixed(best.figures?.p99Ms ?? 0, 2)} ms)` +
      (broke ? `; ${formatInt(broke.value)} ${unit} broke: ${broke.broken.join('; ')}` : `; nothing tried broke (raise --max)`),
  );
  return exitWithOutputs(ExitCode.OK, [json?.file]);
}

/** The table of steps, sorted by value, as evidence. */
function tableLines(results: StepResult[], unit: string): string[] {
  const head = [unit, 'published/s', 'delivered/s', 'p99 ms', 'mean ms', 'max ms', 'lost', 'lag p99 ms', 'loop p99 ms', 'verdict'];
  const rows = [...results]
    .sort((a, b) => a.value - b.value)
    .map((r) => {
      const f = r.figures;
      const n = (v: number | undefined, d = 2) => (v === undefined ? '-' : formatFixed(v, d));
      return [
        formatInt(r.value),
        n(f?.achievedPerSec, 1),
        n(f?.deliveredPerSec, 1),
        n(f?.p99Ms),
        n(f?.meanMs),
        n(f?.maxMs),
        f ? formatInt(f.gaps + f.missing) : '-',
        n(f?.lagP99Ms),
        n(f?.loopP99Ms),
        r.held ? 'held' : `broke: ${r.broken.join('; ')}`,
      ];
    });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)];
}
