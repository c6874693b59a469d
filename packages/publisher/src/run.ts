import os from 'node:os';
import {
  JSON_LINES_VERSION,
  LatencyStats,
  LoopDelay,
  Pacer,
  StopController,
  compressionText,
  formatFixed,
  formatInt,
  mulberry32,
  openMonitoring,
  realTimers,
  reportEvery,
  subjectSetOf,
  runOutcome,
  stoppedText,
  withScope,
  type CommandContext,
  type LogWriter,
} from '@mdbench/core/internal';
import { BatchEncoder } from './batch-encoder.js';
import type { PublisherLinks } from './links.js';
import { publisherMetrics } from './metrics.js';
import { type LinkHealth, openLinks } from './open-links.js';
import type { PublisherConfig } from './options.js';
import { PayloadPool } from '@mdbench/core/internal';
import { topicLookup } from './plan.js';
import { type PublisherSetup, preparePublisher } from './prepare.js';
import { PublisherReporter } from './reporter.js';
import { publisherProblems } from './result.js';
import { SequenceNumbers } from './sequence-numbers.js';
import { warmEncoder } from './warm-up.js';

/** How long the sockets may take to hand what they hold to the kernel at the end. */
const DRAIN_MS = 5000;

/** Publishes at a fixed rate by a schedule, stamping each message with its scheduled and actual send time. */
export async function runPublisher(ctx: CommandContext<PublisherConfig>, version: string): Promise<number> {
  return withScope(
    (m) => ctx.log.error(m),
    async (scope) => {
      const cfg = ctx.config;
      const { clock } = ctx.io;
      const s = await preparePublisher(ctx, version, scope);
      const { subjects, instance: inst } = s.plan;
      let live: { reporter: PublisherReporter; encoder: BatchEncoder; links: PublisherLinks } | null = null;
      const labels = { protocol: s.protocol.name, instance: String(inst.index + 1), publisher: String(s.publisherId) };
      const monitoring = await openMonitoring(ctx, scope, s.pushUrl, () => (live ? publisherMetrics(metricsOf(live, cfg.frequency), labels) : ''));
      const health: LinkHealth = { lost: 0, reconnects: 0, downMs: 0 };
      const links = scope.hold('connections', await openLinks(ctx, s, health), (l) => l.close());
      // The duration counts from the first message, not from before the encoder's warm-up.
      const stopper = scope.hold('signal handlers', new StopController(ctx.io, 0), (st) => st.dispose());
      let pacer: Pacer | null = null;
      const encoder = startEncoder(
        cfg,
        s,
        links,
        (k) => (pacer as Pacer).schedule.timeOf(k),
        () => clock.nowUs(),
      );
      const reporter = publisherReporter(ctx, s, version, encoder, links, () => pacer?.backlogUs(clock.nowUs()) ?? 0);
      live = { reporter, encoder, links };
      if (inst.count > 1) ctx.log.info('Instance', `${inst.index + 1} of ${inst.count}: subjects ${subjects.at(0)} .. ${subjects.at(subjects.count - 1)}`);
      ctx.log.info(
        'Publishing',
        `${formatFixed(cfg.frequency, 2)} messages/sec of ${formatInt(cfg.messageSize)} bytes to ${formatInt(subjects.count)} subjects over ${links.conns.length} ${s.protocol.name} connection(s), publisher id ${s.publisherId}`,
      );

      // Held, so a run that fails mid-way stops its beat too.
      const loop = scope.hold(
        'reporting',
        reportEvery(ctx, stopper, s.thresholds, (judge) => {
          reporter.report('interval');
          monitoring.push();
          return judge ? reporter.judgeSoFar() : undefined;
        }),
        (l) => l.stop(),
      );
      // The schedule starts now (its origin is the pacer's construction): nothing is due before the first report's clock starts.
      pacer = new Pacer(
        { ratePerSec: cfg.frequency, maxBatch: cfg.maxBatch, limit: messageLimit(cfg).limit },
        realTimers(() => clock.nowUs(), cfg.pacing === 'precise'),
        (first, count, nowUs) => encoder.send(first, count, nowUs),
      );
      reporter.begin();
      // The schedule ends the run at its last message; the timer, a second later, only if the
      // pacer has fallen behind it (a timer that fires late would otherwise let a few more out).
      stopper.startDuration(cfg.duration > 0 ? cfg.duration + DURATION_GRACE_S : 0);
      pacer.start(() => stopper.stop(messageLimit(cfg).reason));
      const reason = await stopper.promise;
      pacer.stop();
      await loop.stop();
      const unsent = await drain(links, s, () => clock.monotonicMs());
      await links.farewell(FAREWELL_MS);
      ctx.log.info('Stopped', stoppedText(reason, `${formatInt(encoder.sent)} messages published`));
      ctx.log.info('Summary', 'whole run');
      reporter.report('summary');
      await monitoring.final();
      logTransport(ctx.log, cfg, links, encoder);
      const unacked = links.inflight;
      await scope.close();
      const problems = publisherProblems({
        missedIntervals: reporter.missed,
        intervals: reporter.intervals,
        ...health,
        unsentBytes: unsent,
        unacked,
        refused: links.refused,
        serverErrors: links.serverErrors,
      });
      return runOutcome(ctx.log, { problems, verdicts: reporter.verdicts, files: s.out.files, okText: 'ok: rate held in every interval' });
    },
  );
}

/** How long the servers have to confirm what they were sent and close (a protocol's goodbye). */
const FAREWELL_MS = 2000;

/** How long past --duration the run waits for a schedule it has fallen behind. */
const DURATION_GRACE_S = 1;

/** The messages the schedule holds: --messages, or --duration's worth at --frequency, whichever is fewer; and which it was. */
function messageLimit(cfg: PublisherConfig): { limit: number | undefined; reason: 'done' | 'duration' } {
  const byDuration = cfg.duration > 0 ? Math.round(cfg.frequency * cfg.duration) : 0;
  if (byDuration > 0 && (cfg.messages === 0 || byDuration < cfg.messages)) return { limit: byDuration, reason: 'duration' };
  return { limit: cfg.messages || undefined, reason: 'done' };
}

/** The encoder of the run, its hot path warmed first on a connection of its own (nothing sent, the run's sequences untouched). */
function startEncoder(
  cfg: PublisherConfig,
  setup: PublisherSetup,
  links: PublisherLinks,
  scheduledUs: (k: number) => number,
  nowUs: () => number,
): BatchEncoder {
  const { subjects } = setup.plan;
  const common = {
    protocol: setup.protocol,
    publisherId: setup.publisherId,
    subjectCount: subjects.count,
    topicAt: topicLookup(subjects, setup.protocol.topic),
    mask: cfg.mask,
    framed: cfg.transport !== 'http',
    highWater: cfg.highWater,
  };
  warmEncoder({ ...common, rand: mulberry32(cfg.seed ^ setup.publisherId ^ 0x5a5a5a5a), messageSize: cfg.messageSize }, links.conns[0]?.deflate ?? null);
  return new BatchEncoder({
    ...common,
    conns: links.conns,
    seqs: new SequenceNumbers(subjects.count),
    pool: new PayloadPool(cfg.messageSize),
    rand: mulberry32(cfg.seed ^ setup.publisherId),
    scheduledUs,
    nowUs,
  });
}

function publisherReporter(
  ctx: CommandContext<PublisherConfig>,
  setup: PublisherSetup,
  version: string,
  encoder: BatchEncoder,
  links: PublisherLinks,
  behindUs: () => number,
): PublisherReporter {
  const inst = setup.plan.instance;
  return new PublisherReporter({
    thresholds: setup.thresholds,
    log: ctx.log,
    json: setup.out.json,
    hlog: setup.out.hlog,
    clock: ctx.io.clock,
    targetRatePerSec: ctx.config.frequency,
    window: setup.protocol.window,
    loop: new LoopDelay(),
    bandwidth: setup.bandwidth,
    header: {
      v: JSON_LINES_VERSION,
      tool: 'mdbench-publisher',
      version,
      host: os.hostname(),
      pid: process.pid,
      instance: inst.index + 1,
      instances: inst.count,
      processes: 1,
      protocol: setup.protocol.name,
      publisherId: setup.publisherId,
      subjectSet: subjectSetOf(setup.plan.allSubjects),
    },
    source: {
      sent: () => encoder.sent,
      behindUs,
      bytes: () => encoder.bytes,
      takeLag: () => {
        const l = new LatencyStats();
        l.merge(encoder.lag);
        encoder.lag.reset();
        return l;
      },
      backlogBytes: () => links.backlogBytes,
      take: () => links.take(),
      inflight: () => links.inflight,
    },
  });
}

function metricsOf(live: { reporter: PublisherReporter; encoder: BatchEncoder; links: PublisherLinks }, targetRatePerSec: number) {
  const { reporter, encoder, links } = live;
  return {
    sent: encoder.sent,
    bytes: encoder.bytes,
    targetRatePerSec,
    lag: reporter.lagRun,
    inflight: links.inflight,
    acked: reporter.ackedRun,
    backlogBytes: links.backlogBytes,
    down: links.down,
    errors: reporter.errors,
  };
}

/** Waits (at most DRAIN_MS) for the sockets to hand over what they hold and for outstanding acknowledgements; returns the bytes left unsent. */
async function drain(links: PublisherLinks, setup: PublisherSetup, nowMs: () => number): Promise<number> {
  const until = nowMs() + DRAIN_MS;
  const busy = () => links.backlogBytes > 0 || (setup.protocol.can.acks && links.inflight > 0 && links.allReady);
  while (busy() && nowMs() < until) await new Promise((r) => setTimeout(r, 10));
  return links.backlogBytes;
}

/** The TLS handshakes and the compression of the run, when there were any. */
function logTransport(log: LogWriter, cfg: PublisherConfig, links: PublisherLinks, encoder: BatchEncoder): void {
  const tlsFull = links.tlsHandshakes.full ?? 0;
  const tlsResumed = links.tlsHandshakes.resumed ?? 0;
  if (tlsFull + tlsResumed > 0) log.info('TLS handshakes', `${formatInt(tlsFull)} full, ${formatInt(tlsResumed)} resumed`);
  if (cfg.compression !== 'deflate') return;
  log.info(
    'Compression',
    encoder.deflateMessageBytes > 0
      ? compressionText(encoder.deflateWireBytes, encoder.deflateMessageBytes)
      : 'deflate offered; no message went compressed (not agreed, or it did not make them smaller)',
  );
}
