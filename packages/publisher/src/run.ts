import { randomBytes } from 'node:crypto';
import os from 'node:os';
import {
  ExitCode,
  HlogWriter,
  JSON_LINES_VERSION,
  JsonLinesWriter,
  LatencyStats,
  LoopDelay,
  MdbenchError,
  Pacer,
  StopController,
  bandwidthMeterFor,
  bearerHeaders,
  formatFixed,
  formatInt,
  loadProtocol,
  mulberry32,
  originOf,
  probeServers,
  protocolOptionsOf,
  realTimers,
  serveMetrics,
  systemClock,
  type CommandContext,
  type LogWriter,
  TLS_INSECURE_WARNING,
  clientTlsFor,
  parseThresholds,
  AbortWatch,
  MetricsPusher,
  pushGroupUrl,
  compressionText,
  deflateOfferOf,
  exitWithOutputs,
  outputProblems,
} from '@mdbench/core';
import { BatchEncoder } from './batch-encoder.js';
import { PublisherLinks, type LinkEvents } from './links.js';
import type { PublisherConfig } from './options.js';
import { PayloadPool } from './payload-pool.js';
import { buildPublisherPlan, topicLookup } from './plan.js';
import { PUBLISHER_THRESHOLD_METRICS, PublisherReporter } from './reporter.js';
import { warmEncoder } from './warm-up.js';
import { SequenceNumbers } from './sequence-numbers.js';
import { publisherMetrics } from './metrics.js';
import { publisherProblems } from './result.js';

/** How long the sockets may take to hand what they hold to the kernel at the end. */
const DRAIN_MS = 5000;

/** The links' events as log lines, counted into `health` for the Result line. */
function linkEvents(log: LogWriter, health: { lost: number; reconnects: number; downMs: number }, reconnect: boolean): LinkEvents {
  return {
    onLost: (cause, detail) => {
      health.lost++;
      log.warn(`publisher connection lost: ${cause}${detail ? ` (${detail})` : ''}${reconnect ? '; reconnecting' : ''}`);
    },
    onReconnected: (ms) => {
      health.reconnects++;
      health.downMs += ms;
      log.info('Reconnected', `after ${formatFixed(ms / 1000, 2)} s`);
    },
    onNote: (cause, detail) => log.warn(`the server refused or reported: ${cause}${detail && detail !== cause ? ` (${detail})` : ''}`),
  };
}

/** Publishes at a fixed rate by a schedule, stamping each message with its scheduled and actual send time. */
export async function runPublisher(ctx: CommandContext<PublisherConfig>, version: string): Promise<number> {
  const cfg = ctx.config;
  const clock = systemClock;
  const thresholds = parseThresholds(cfg.thresholds ?? '', PUBLISHER_THRESHOLD_METRICS, originOf(ctx.resolved, 'thresholds'));
  const protocol = await loadProtocol(cfg.protocol, protocolOptionsOf(cfg, 'publisher', cfg.window), originOf(ctx.resolved, 'protocol'), ctx.io.cwd);
  const plan = buildPublisherPlan(cfg, ctx.resolved, ctx.io.env, protocol);
  const { servers, subjects, instance: inst } = plan;
  const pushUrl = cfg.metricsPush ? pushGroupUrl(cfg.metricsPush, 'mdbench-publisher', inst.index + 1, originOf(ctx.resolved, 'metricsPush')) : null;
  // Output files open before anything starts: a path that cannot be written is exit 2 here.
  const json = cfg.json ? new JsonLinesWriter(cfg.json, (m) => ctx.log.error(m)) : null;
  const hlog = cfg.hlog
    ? new HlogWriter(cfg.hlog, Date.now(), `mdbench-publisher ${version} instance ${inst.index + 1}/${inst.count}, schedule lag in us`, (m) => ctx.log.error(m))
    : null;
  const bandwidth = bandwidthMeterFor(cfg.iface, servers[0].host, undefined, clock.monotonicMs(), originOf(ctx.resolved, 'iface'));
  const headers = bearerHeaders(cfg.token);
  // TLS files are read and checked here, before anything connects (exit 2 naming the file).
  const tls = clientTlsFor(servers, cfg, (name) => originOf(ctx.resolved, name));
  if (tls && !tls.verify) ctx.log.warn(TLS_INSECURE_WARNING);
  await probeServers(servers, {
    subprotocol: protocol.subprotocol,
    headers,
    tls,
    timeoutMs: cfg.handshakeTimeout * 1000,
    hint: 'start the server first, or fix ServerAddresses',
  });

  const publisherId = randomBytes(4).readUInt32BE(0);
  // The metrics endpoint opens before any connection, so a port that cannot be opened stops nothing running.
  let live: { reporter: PublisherReporter; encoder: BatchEncoder; links: PublisherLinks } | null = null;
  const metricsText = () => {
    if (!live) return '';
    const { reporter, encoder, links } = live;
    const labels = { protocol: protocol.name, instance: String(inst.index + 1), publisher: String(publisherId) };
    return publisherMetrics(
      {
        sent: encoder.sent,
        bytes: encoder.bytes,
        targetRatePerSec: cfg.frequency,
        lag: reporter.lagRun,
        inflight: links.inflight,
        acked: reporter.ackedRun,
        backlogBytes: links.backlogBytes,
        down: links.down,
        errors: reporter.errors,
      },
      labels,
    );
  };
  const metrics = await serveMetrics(cfg.metricsListen, metricsText, cfg.token, originOf(ctx.resolved, 'metricsListen'));
  if (metrics) ctx.log.info('Metrics', `${metrics.url}/metrics`);
  const pusher = pushUrl ? new MetricsPusher(pushUrl, metricsText, (m) => ctx.log.warn(m)) : null;
  if (pushUrl) ctx.log.info('Metrics push', pushUrl);
  const health = { lost: 0, reconnects: 0, downMs: 0 };
  const links = new PublisherLinks(
    servers,
    {
      readBuffer: Buffer.allocUnsafe(64 * 1024),
      maxPayload: 1 << 20,
      mask: cfg.mask,
      text: protocol.text,
      path: servers[0].path,
      subprotocol: protocol.subprotocol,
      headers,
      tls,
      deflate: deflateOfferOf(cfg),
    },
    protocol,
    {
      clock,
      clientIdBase: `${cfg.clientIdPrefix}-pub-${inst.index + 1}-${publisherId.toString(16)}`,
      policy: {
        enabled: cfg.reconnect,
        baseMs: cfg.reconnectMin * 1000,
        maxMs: cfg.reconnectMax * 1000,
        sessionTimeoutMs: cfg.handshakeTimeout * 1000,
        ackTimeoutMs: cfg.ackTimeout * 1000,
      },
      events: linkEvents(ctx.log, health, cfg.reconnect),
    },
  );
  try {
    await links.open(cfg.connections, 30_000);
  } catch (err) {
    metrics?.close();
    // A session the server refused (login) is a run error with its cause; anything else, unreachable.
    throw new MdbenchError(links.refused > 0 ? 'MDB_REFUSED' : 'MDB_UNREACHABLE', (err as Error).message);
  }

  const stopper = new StopController(ctx.io, cfg.duration);
  let pacer: Pacer | null = null;
  const topicAt = topicLookup(subjects, protocol.topic);
  // The encode path optimised before the schedule starts (nothing sent; the run's sequences untouched).
  warmEncoder(
    {
      protocol,
      publisherId,
      subjectCount: subjects.count,
      topicAt,
      rand: mulberry32(cfg.seed ^ publisherId ^ 0x5a5a5a5a),
      mask: cfg.mask,
      highWater: cfg.highWater,
      messageSize: cfg.messageSize,
    },
    links.conns[0]?.deflate ?? null,
  );
  const encoder = new BatchEncoder({
    protocol,
    conns: links.conns,
    publisherId,
    subjectCount: subjects.count,
    topicAt,
    seqs: new SequenceNumbers(subjects.count),
    pool: new PayloadPool(cfg.messageSize),
    rand: mulberry32(cfg.seed ^ publisherId),
    mask: cfg.mask,
    highWater: cfg.highWater,
    scheduledUs: (k) => (pacer as Pacer).schedule.timeOf(k),
    nowUs: () => clock.nowUs(),
  });
  const reporter = new PublisherReporter({
    thresholds,
    log: ctx.log,
    json,
    hlog,
    clock,
    targetRatePerSec: cfg.frequency,
    window: protocol.window,
    loop: new LoopDelay(),
    bandwidth,
    header: {
      v: JSON_LINES_VERSION,
      tool: 'mdbench-publisher',
      version,
      host: os.hostname(),
      pid: process.pid,
      instance: inst.index + 1,
      instances: inst.count,
      processes: 1,
      protocol: protocol.name,
      publisherId,
    },
    source: {
      sent: () => encoder.sent,
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
  live = { reporter, encoder, links };
  if (inst.count > 1) ctx.log.info('Instance', `${inst.index + 1} of ${inst.count}: subjects ${subjects.at(0)} .. ${subjects.at(subjects.count - 1)}`);
  ctx.log.info(
    'Publishing',
    `${formatFixed(cfg.frequency, 2)} messages/sec of ${formatInt(cfg.messageSize)} bytes to ${formatInt(subjects.count)} subjects over ${links.conns.length} ${protocol.name} connection(s), publisher id ${publisherId}`,
  );

  const abort = cfg.abortOnFail !== undefined && thresholds.length ? new AbortWatch(cfg.abortOnFail) : null;
  const timer = setInterval(() => {
    reporter.report('interval');
    pusher?.push();
    const crossed = abort?.check(reporter.judgeSoFar(), clock.monotonicMs()) ?? [];
    if (crossed.length) {
      ctx.log.warn(`stopping: ${crossed.join(', ')} crossed for ${cfg.abortOnFail} s (--abort-on-fail)`);
      stopper.stop('thresholds');
    }
  }, cfg.interval * 1000);
  // The schedule starts now (its origin is the pacer's construction): nothing is due before the first report's clock starts.
  pacer = new Pacer(
    { ratePerSec: cfg.frequency, maxBatch: cfg.maxBatch, limit: cfg.messages || undefined },
    realTimers(() => clock.nowUs(), cfg.pacing === 'precise'),
    (first, count, nowUs) => encoder.send(first, count, nowUs),
  );
  reporter.begin();
  pacer.start(() => stopper.stop('done'));
  const reason = await stopper.promise;
  pacer.stop();
  clearInterval(timer);
  const drainUntil = clock.monotonicMs() + DRAIN_MS;
  while ((links.backlogBytes > 0 || (protocol.can.acks && links.inflight > 0 && links.allReady)) && clock.monotonicMs() < drainUntil)
    await new Promise((r) => setTimeout(r, 10));
  const unsent = links.backlogBytes;
  ctx.log.info(
    'Stopped',
    reason === 'duration'
      ? 'duration reached'
      : reason === 'thresholds'
        ? 'thresholds crossed (--abort-on-fail)'
        : reason === 'done'
          ? `${formatInt(encoder.sent)} messages published`
          : reason,
  );
  ctx.log.info('Summary', 'whole run');
  reporter.report('summary');
  await pusher?.final();
  json?.close();
  hlog?.close();
  metrics?.close();
  const tlsFull = links.tlsHandshakes.full ?? 0;
  const tlsResumed = links.tlsHandshakes.resumed ?? 0;
  if (tlsFull + tlsResumed > 0) ctx.log.info('TLS handshakes', `${formatInt(tlsFull)} full, ${formatInt(tlsResumed)} resumed`);
  if (cfg.compression === 'deflate')
    ctx.log.info(
      'Compression',
      encoder.deflateMessageBytes > 0
        ? compressionText(encoder.deflateWireBytes, encoder.deflateMessageBytes)
        : 'deflate offered; no message went compressed (not agreed, or it did not make them smaller)',
    );
  const unacked = links.inflight;
  links.close();
  stopper.dispose();

  const problems = [
    ...publisherProblems({
      missedIntervals: reporter.missed,
      intervals: reporter.intervals,
      ...health,
      unsentBytes: unsent,
      unacked,
      refused: links.refused,
      serverErrors: links.serverErrors,
    }),
    ...outputProblems([json?.file, hlog?.file]),
  ];
  const crossed = reporter.verdicts.filter((v) => !v.passed).map((v) => v.threshold);
  if (crossed.length) problems.push(`thresholds crossed: ${crossed.join(', ')}`);
  ctx.log.info('Result', problems.length ? `errors: ${problems.join(', ')}` : 'ok: rate held in every interval');
  return exitWithOutputs(crossed.length ? ExitCode.THRESHOLDS : problems.length ? ExitCode.RUN_ERRORS : ExitCode.OK, [json?.file, hlog?.file]);
}
