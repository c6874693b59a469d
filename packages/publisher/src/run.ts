import { randomBytes } from 'node:crypto';
import os from 'node:os';
import {
  ExitCode,
  HlogWriter,
  JSON_LINES_VERSION,
  instanceSlice,
  resolveInstance,
  sliceSequence,
  JsonLinesWriter,
  LatencyStats,
  LoopDelay,
  MdbenchError,
  NATIVE_SUBPROTOCOL,
  NativeProtocol,
  Opcode,
  Pacer,
  StopController,
  WsState,
  clientHeaderBytes,
  compilePatternList,
  epochUs,
  formatFixed,
  formatInt,
  mulberry32,
  parseServerAddress,
  probeServer,
  realTimers,
  toArray,
  writeClientHeader,
  type CommandContext,
  type Sequence,
  type ServerAddress,
} from '@mdbench/core';
import type { PublisherConfig } from './options.js';
import { PayloadPool } from './payload-pool.js';
import { SequenceNumbers } from './sequence-numbers.js';
import { publisherBlock, rateErrorPct } from './publisher-report.js';
import { PublisherLinks } from './publisher-connections.js';

/** An achieved rate further than this from the target, in percent, is reported as not held. */
export const RATE_TOLERANCE_PCT = 1;
/** Event-loop delay beyond which the publisher warns that it is itself saturated. */
export const SATURATION_P99_MS = 20;

function configError(key: string, err: unknown): MdbenchError {
  return new MdbenchError('MDB_CONFIG_VALUE', (err as Error).message, { location: { file: 'configuration', key } });
}

/** `/` + PublisherType + subject, as the article builds /p/s1/- from p and /s1/-. */
export function prefixedSubjects(seq: Sequence, type: string | undefined): Sequence {
  if (!type) return seq;
  const prefix = `/${type}`;
  return { count: seq.count, at: (i) => prefix + seq.at(i) };
}

/** Subjects precomputed when the set is small, computed per message when it is large. */
function subjectLookup(seq: Sequence): (i: number) => string {
  if (seq.count > 200_000) return (i) => seq.at(i);
  const all = toArray(seq);
  return (i) => all[i];
}

/** Publishes at a fixed rate by a schedule, stamping each message with its scheduled and actual send time. */
export async function runPublisher(cfg: PublisherConfig, ctx: CommandContext, version: string): Promise<number> {
  let servers: ServerAddress[];
  try {
    servers = toArray(compilePatternList(cfg.serverAddresses), 10_000).map(parseServerAddress);
  } catch (err) {
    throw configError('ServerAddresses', err);
  }
  let subjects: Sequence;
  try {
    subjects = prefixedSubjects(compilePatternList(cfg.subjects), cfg.publisherType);
  } catch (err) {
    throw configError('Subjects', err);
  }
  // Instance k of N publishes to the k-th share of the subjects, as the article's 8 publishers did.
  const inst = resolveInstance(cfg.instance, cfg.instances, ctx.io.env);
  const share = instanceSlice(subjects.count, inst);
  if (share.count === 0) throw configError('Subjects', new Error(`${subjects.count} subject(s) leave none for instance ${inst.index + 1} of ${inst.count}`));
  if (inst.count > 1) subjects = sliceSequence(subjects, share.from, share.count);
  const headers = cfg.token ? { Authorization: `Bearer ${cfg.token}` } : undefined;
  for (const s of servers.slice(0, 16)) {
    const r = await probeServer(s, { path: s.path, subprotocol: NATIVE_SUBPROTOCOL, headers, timeoutMs: 10_000 });
    if (!r.ok) throw new MdbenchError('MDB_UNREACHABLE', `cannot reach server ${s.text}: ${r.cause}${r.detail && r.detail !== r.cause ? ` (${r.detail})` : ''}`, { exitCode: ExitCode.UNREACHABLE });
  }

  const protocol = new NativeProtocol();
  let lost = 0;
  let reconnects = 0;
  let downMs = 0;
  const links = new PublisherLinks(
    servers,
    { readBuffer: Buffer.allocUnsafe(64 * 1024), maxPayload: 1 << 20, mask: cfg.mask, path: servers[0].path, subprotocol: protocol.subprotocol, headers },
    { enabled: cfg.reconnect, baseMs: cfg.reconnectMin * 1000, maxMs: cfg.reconnectMax * 1000 },
    {
      onLost: (cause, detail) => {
        lost++;
        ctx.log.warn(`publisher connection lost: ${cause}${detail ? ` (${detail})` : ''}${cfg.reconnect ? '; reconnecting' : ''}`);
      },
      onReconnected: (ms) => {
        reconnects++;
        downMs += ms;
        ctx.log.info('Reconnected', `after ${formatFixed(ms / 1000, 2)} s`);
      },
    },
  );
  try {
    await links.open(cfg.connections, 30_000);
  } catch (err) {
    throw new MdbenchError('MDB_UNREACHABLE', (err as Error).message, { exitCode: ExitCode.UNREACHABLE });
  }
  const conns = links.conns;

  const publisherId = randomBytes(4).readUInt32BE(0);
  const subjectAt = subjectLookup(subjects);
  const seqs = new SequenceNumbers(subjects.count);
  const pool = new PayloadPool(cfg.messageSize);
  const rand = mulberry32(cfg.seed ^ publisherId);
  const nConn = conns.length;
  const lagInterval = new LatencyStats();
  const lagRun = new LatencyStats();
  const loop = new LoopDelay();
  let sentInterval = 0;
  let sentTotal = 0;
  let bytesTotal = 0;

  // Per-connection scratch for one batch: (subject index, message number, frame bytes) triples.
  const picks: number[][] = Array.from({ length: nConn }, () => []);

  const send = (first: number, count: number, nowUs: number): number => {
    for (const c of conns) if (c.state !== WsState.OPEN || (c.socket?.writableLength ?? 0) > cfg.highWater) return 0;
    const size = new Array<number>(nConn).fill(0);
    for (let k = 0; k < count; k++) {
      const idx = Math.floor(rand() * subjects.count);
      const n = protocol.messageBytes(subjectAt(idx), cfg.messageSize);
      const j = idx % nConn;
      picks[j].push(idx, first + k, n);
      size[j] += clientHeaderBytes(n) + n;
    }
    const sentUs = epochUs();
    for (let j = 0; j < nConn; j++) {
      const list = picks[j];
      if (list.length === 0) continue;
      const buf = Buffer.allocUnsafe(size[j]);
      let at = 0;
      for (let p = 0; p < list.length; p += 3) {
        const idx = list[p];
        const n = list[p + 2];
        const head = clientHeaderBytes(n);
        const scheduledUs = Math.round(pacer.schedule.timeOf(list[p + 1]));
        protocol.writeMessage(buf, at + head, subjectAt(idx), publisherId, seqs.next(idx), scheduledUs, sentUs, pool.bytes, pool.offset(rand), cfg.messageSize);
        writeClientHeader(buf, at, Opcode.BINARY, n, cfg.mask);
        at += head + n;
        const lag = nowUs - scheduledUs;
        lagInterval.record(lag);
        lagRun.record(lag);
      }
      list.length = 0;
      conns[j].socket?.write(buf);
      bytesTotal += size[j];
    }
    sentInterval += count;
    sentTotal += count;
    return count;
  };

  const stopper = new StopController(ctx.io, cfg.duration);
  const pacer = new Pacer({ ratePerSec: cfg.frequency, maxBatch: cfg.maxBatch, limit: cfg.messages || undefined }, realTimers(epochUs, cfg.pacing === 'precise'), send);
  const json = cfg.json ? new JsonLinesWriter(cfg.json) : null;
  const header = { v: JSON_LINES_VERSION, tool: 'mdbench-publisher', version, host: os.hostname(), pid: process.pid, instance: inst.index + 1, instances: inst.count, publisherId };
  const hlog = cfg.hlog ? new HlogWriter(cfg.hlog, Date.now(), `mdbench-publisher ${version} instance ${inst.index + 1}/${inst.count}, schedule lag in us`) : null;
  if (inst.count > 1) ctx.log.info('Instance', `${inst.index + 1} of ${inst.count}: subjects ${subjects.at(0)} .. ${subjects.at(subjects.count - 1)}`);
  ctx.log.info('Publishing', `${formatFixed(cfg.frequency, 2)} messages/sec of ${formatInt(cfg.messageSize)} bytes to ${formatInt(subjects.count)} subjects over ${nConn} connection(s), publisher id ${publisherId}`);

  const startMs = performance.now();
  let lastMs = startMs;
  let missed = 0;
  let intervals = 0;
  const backlog = () => conns.reduce((a, c) => a + (c.socket?.writableLength ?? 0), 0);
  const report = (kind: 'interval' | 'summary') => {
    const now = performance.now();
    const seconds = kind === 'summary' ? (now - startMs) / 1000 : (now - lastMs) / 1000;
    lastMs = now;
    const sent = kind === 'summary' ? sentTotal : sentInterval;
    const lag = kind === 'summary' ? lagRun : lagInterval;
    const loopP99Ms = loop.p99Ms();
    ctx.log.block(publisherBlock({ uptimeS: (now - startMs) / 1000, seconds, sent, totalSent: sentTotal, targetPerSec: cfg.frequency, lag, backlogBytes: backlog(), loopP99Ms }));
    const errPct = rateErrorPct(sent, seconds, cfg.frequency);
    if (kind === 'interval' && loopP99Ms > SATURATION_P99_MS) {
      ctx.log.warn(`the publisher itself is saturated: event-loop delay p99 ${formatFixed(loopP99Ms, 1)} ms; its schedule lag and the latencies it causes include this delay`);
    }
    if (kind === 'interval') {
      intervals++;
      if (Math.abs(errPct) > RATE_TOLERANCE_PCT) {
        missed++;
        ctx.log.warn(`rate not held: ${formatFixed(sent / seconds, 2)} messages/sec against ${formatFixed(cfg.frequency, 2)} (${formatFixed(errPct, 2)}%), schedule lag p99 ${formatFixed(lag.percentileUs(99) / 1000, 2)} ms`);
      }
    }
    json?.write({ type: kind, ...header, ts: new Date().toISOString(), uptimeS: (now - startMs) / 1000, seconds, sent, totalSent: sentTotal, bytes: bytesTotal, targetPerSec: cfg.frequency, rateErrorPct: errPct, lag: lag.toWire(), backlogBytes: backlog(), loopDelay: { p99Ms: loopP99Ms, maxMs: loop.maxMs() }, rssBytes: process.memoryUsage().rss, heapUsedBytes: process.memoryUsage().heapUsed });
    if (kind === 'interval') {
      hlog?.interval(lagInterval.hist, (now - startMs) / 1000 - seconds, (now - startMs) / 1000);
      sentInterval = 0;
      lagInterval.reset();
      loop.reset();
    }
  };
  const timer = setInterval(() => report('interval'), cfg.interval * 1000);
  pacer.start(() => stopper.stop('done'));

  const reason = await stopper.promise;
  pacer.stop();
  clearInterval(timer);
  // Let the sockets hand what they hold to the kernel before closing (at most 5 s).
  const drainUntil = performance.now() + 5000;
  while (backlog() > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
  const unsent = backlog();
  ctx.log.info('Stopped', reason === 'duration' ? 'duration reached' : reason === 'done' ? `${formatInt(sentTotal)} messages published` : reason);
  ctx.log.info('Summary', 'whole run');
  report('summary');
  json?.close();
  hlog?.close();
  links.close();
  stopper.dispose();
  const problems: string[] = [];
  if (missed > 0) problems.push(`rate not held in ${missed} of ${intervals} intervals`);
  if (lost > 0) problems.push(`${lost} connection loss(es), ${reconnects} reconnect(s), ${formatFixed(downMs / 1000, 2)} s down`);
  if (unsent > 0) problems.push(`${formatInt(unsent)} bytes still unsent at exit`);
  ctx.log.info('Result', problems.length ? `errors: ${problems.join(', ')}` : 'ok: rate held in every interval');
  return problems.length ? ExitCode.RUN_ERRORS : ExitCode.OK;
}
