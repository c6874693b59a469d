import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MdbenchError,
  StopController,
  formatFixed,
  formatInt,
  openOutputs,
  originOf,
  runOutcome,
  withScope,
  type CommandContext,
  type LogWriter,
  type RunOutputs,
} from '@mdbench/core/internal';
import { clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';
import { binOf } from './children.js';
import { describe, parseObjectives } from './objectives.js';
import { CLIENT_PASS, CONNECTION_PASS, PROTOCOL_PASS, PUBLISHER_PASS } from './options.js';
import { passFlags, passSecrets } from './pass-options.js';
import { CapacitySearch } from './search.js';
import { type CapacityConfig, type SearchRig, type StepResult, runStep, startClient, stepLine, stopClient } from './step.js';

/** The publisher's options a search passes on: its protocol, its connection and its messages. */
const PUBLISHER_NAMES = ['serverAddresses', 'subjects', ...PROTOCOL_PASS, 'mask', 'seed'];

/** The tools of a search with the options each is passed (secrets in their environment, never on the command line). */
function rigOf(ctx: CommandContext<CapacityConfig>, byRate: boolean): SearchRig {
  const cfg = ctx.config;
  const clientNames = CLIENT_PASS.filter((n) => byRate || n !== 'clients');
  const publisherNames = [...PUBLISHER_NAMES, ...CONNECTION_PASS, ...PUBLISHER_PASS];
  return {
    cfg,
    byRate,
    dir: mkdtempSync(path.join(tmpdir(), 'mdbench-capacity-')),
    objectives: parseObjectives(cfg.objectives, originOf(ctx.resolved, 'objectives')),
    client: {
      bin: binOf('@mdbench/client', 'mdbench-client.js'),
      flags: passFlags(cfg, clientSpecs, clientNames),
      secrets: passSecrets(cfg, clientSpecs, clientNames),
    },
    publisher: {
      bin: binOf('@mdbench/publisher', 'mdbench-publisher.js'),
      // Event-stream subscribers are fed by HTTP publishing (mdbench-server, Nchan).
      flags: [...passFlags(cfg, publisherSpecs, publisherNames), ...(cfg.transport === 'sse' ? ['--transport', 'http'] : [])],
      secrets: passSecrets(cfg, publisherSpecs, publisherNames),
    },
    running: null,
  };
}

/** Steps the publish rate (or the connection count) until an objective breaks; reports the highest value that held. */
export async function runCapacity(ctx: CommandContext<CapacityConfig>): Promise<number> {
  return withScope(
    (m) => ctx.log.error(m),
    async (scope) => {
      const cfg = ctx.config;
      const values = cfg.steps?.split(',').map((s) => Number(s.trim()));
      if (values?.some((v) => !(v > 0))) {
        throw new MdbenchError('MDB_OBJECTIVE', `"${cfg.steps}" is not a list of positive numbers`, { location: originOf(ctx.resolved, 'steps') });
      }
      const search = new CapacitySearch({ values, start: cfg.start, factor: cfg.factor, max: cfg.max, refine: cfg.refine });
      const byRate = cfg.vary === 'rate';
      const unit = byRate ? 'messages/s' : 'connections';
      const rig = rigOf(ctx, byRate);
      const out = openOutputs(cfg, '', scope, ctx.log, ctx.io.clock);
      const stopper = scope.hold('signal handlers', new StopController(ctx.io, 0), (s) => s.dispose());
      scope.hold('client', rig, (r) => stopClient(r));
      const clientJson = path.join(rig.dir, 'client.jsonl');
      const results: StepResult[] = [];
      ctx.log.info('Capacity search', `stepping the ${byRate ? 'publish rate' : 'connection count'}; objectives: ${rig.objectives.map(describe).join(', ')}`);
      if (byRate) ctx.log.info('Clients', `${formatInt((await startClient(rig, undefined, clientJson)).subscribed)} subscribed`);
      for (let k = 1; ; k++) {
        const value = search.next();
        if (value === null || stopper.reason) break;
        const result = await runStep(rig, k, value, clientJson);
        search.record(value, result.held);
        results.push(result);
        ctx.log.info(`Step ${k}`, stepLine(result, unit));
        out.json?.write({ type: 'step', ...result } as never);
      }
      await stopClient(rig);
      const problems = summarise(ctx.log, rig, results, unit, out);
      await scope.close();
      return runOutcome(ctx.log, { problems, files: out.files });
    },
  );
}

/** The table of steps, the capacity found and the summary record; returns the run's problem (no step held), if any. */
function summarise(log: LogWriter, rig: SearchRig, results: StepResult[], unit: string, out: RunOutputs): string[] {
  for (const line of tableLines(results, unit)) log.info('Steps', line);
  const best = results.filter((r) => r.held).sort((a, b) => b.value - a.value)[0];
  const broke = results.filter((r) => !r.held).sort((a, b) => a.value - b.value)[0];
  out.json?.write({
    type: 'capacity',
    vary: rig.cfg.vary,
    objectives: rig.objectives.map((o) => o.text),
    capacity: best?.value ?? null,
    deliveredPerSec: best?.figures?.deliveredPerSec ?? null,
    firstBroken: broke ? { value: broke.value, broken: broke.broken } : null,
    steps: results.length,
  } as never);
  if (!best) return [`no step held: ${broke ? `${formatInt(broke.value)} ${unit} broke ${broke.broken.join('; ')}` : 'nothing was tried'}`];
  log.info(
    'Capacity',
    `${formatInt(best.value)} ${unit} held (delivered ${formatFixed(best.figures?.deliveredPerSec ?? 0, 1)} messages/s, latency p99 ${formatFixed(best.figures?.p99Ms ?? 0, 2)} ms)` +
      (broke ? `; ${formatInt(broke.value)} ${unit} broke: ${broke.broken.join('; ')}` : '; nothing tried broke (raise --max)'),
  );
  return [];
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
