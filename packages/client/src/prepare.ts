import os from 'node:os';
import {
  JSON_LINES_VERSION,
  bandwidthMeterFor,
  compilePatternList,
  subjectSetOf,
  configDigest,
  formatFixed,
  formatInt,
  listeningSockets,
  loadProtocol,
  metricsPushUrl,
  openFileHardLimit,
  openOutputs,
  originOf,
  parseThresholds,
  preflight,
  Problems,
  stampRoomProblem,
  protocolOptionsOf,
  protocolNameOf,
  reachServers,
  type BandwidthMeter,
  type ClientTls,
  type CommandContext,
  type ProtocolOptions,
  type RunOutputs,
  type RunProtocol,
  type RunScope,
  type Threshold,
} from '@mdbench/core/internal';
import { clockOffset } from './clock-offset.js';
import { CLIENT_RUN_THRESHOLD_METRICS } from './thresholds.js';
import { clientSpecs, type ClientConfig } from './options.js';
import { buildClientPlan, chooseClientWorkers, clientHostPlan, type ClientPlan } from './plan.js';
import type { ClientHeader } from './reporter.js';
import { serversOf } from './connection-plan.js';

/** Everything a client run settles before its workers start. */
export interface ClientSetup {
  plan: ClientPlan;
  thresholds: Threshold[];
  protocol: RunProtocol;
  protocolOptions: ProtocolOptions;
  tls: ClientTls | undefined;
  workers: number;
  header: ClientHeader;
  pushUrl: string | null;
  out: RunOutputs;
  bandwidth: BandwidthMeter | undefined;
}

/**
 * The client's checks before any worker starts, every one ending in one line and its exit code:
 * the plan, the thresholds, the output files, the protocol, TLS files, the host (pre-flight), the
 * servers (probe), then the clock offset and the plan's lines in the log.
 */
export async function prepareClient(ctx: CommandContext<ClientConfig>, version: string, scope: RunScope): Promise<ClientSetup> {
  const cfg = ctx.config;
  const { clock, host } = ctx.io;
  const plan = buildClientPlan(cfg, ctx.resolved, ctx.io.env, listeningSockets(host));
  const inst = plan.instance;
  const thresholds = parseThresholds(cfg.thresholds ?? '', CLIENT_RUN_THRESHOLD_METRICS, originOf(ctx.resolved, 'thresholds'));
  const pushUrl = metricsPushUrl(ctx, 'mdbench-client', inst.index + 1);
  const out = openOutputs(cfg, `mdbench-client ${version} instance ${inst.index + 1}/${inst.count} on ${os.hostname()}, latency in us`, scope, ctx.log, clock);
  const protocolOptions = protocolOptionsOf(cfg, 'subscriber');
  const protocol = await loadProtocol(protocolName(ctx), protocolOptions, (n) => originOf(ctx.resolved, n), ctx.io.cwd);
  checkTraffic(ctx, protocol);
  // As each worker finds them again (connection-plan.ts).
  plan.servers = serversOf(cfg, protocol);
  const bandwidth = bandwidthMeterFor(cfg.iface, plan.servers[0].host, plan.addresses[0], clock.monotonicMs(), originOf(ctx.resolved, 'iface'));
  const workers = chooseClientWorkers(cfg.workers, cfg.clients, openFileHardLimit(host));
  for (const w of preflight(host, clientHostPlan(cfg, plan, workers))) ctx.warn(w);
  const { tls } = await reachServers(ctx, plan.servers, protocol);
  const offset = await clockOffset(cfg, ctx.log, plan.servers[0], protocol, tls);
  const header: ClientHeader = {
    v: JSON_LINES_VERSION,
    tool: 'mdbench-client',
    version,
    host: os.hostname(),
    pid: process.pid,
    instance: inst.index + 1,
    instances: inst.count,
    processes: workers,
    protocol: protocol.name,
    configDigest: configDigest(cfg, clientSpecs),
    intervalS: cfg.interval,
    clockOffsetUs: offset?.offsetUs ?? null,
    clockRttUs: offset?.rttUs ?? null,
    ...subscriptionPlanOf(cfg, inst.count),
  };
  logPlan(ctx, plan, protocol, tls, workers);
  return { plan, thresholds, protocol, protocolOptions, tls, workers, header, pushUrl, out, bandwidth };
}

/** The protocol the subscribers speak: `--protocol`, or the one `--transport sse` implies. */
function protocolName(ctx: CommandContext<ClientConfig>): string {
  const { name, problem } = protocolNameOf(ctx.config, 'subscriber');
  if (problem) {
    const p = new Problems(ctx.resolved);
    p.add(problem.option, problem.message);
    p.throwIfAny();
  }
  return name;
}

/** What the connections' own traffic needs of the protocol: room for its stamp in the payloads they publish, a request mechanism for requests. */
function checkTraffic(ctx: CommandContext<ClientConfig>, protocol: RunProtocol): void {
  const cfg = ctx.config;
  const p = new Problems(ctx.resolved);
  if (protocol.can.subscribeByPath && cfg.subjectsPerClient > 1)
    p.add(
      'subjectsPerClient',
      `a ${cfg.transport === 'sse' ? 'Server-Sent Events' : protocol.name} connection's URL is its one subject: SubjectsPerClient must be 1`,
    );
  if (protocol.can.subscribeByPath && (cfg.publishRate > 0 || cfg.requestRate > 0))
    p.add(cfg.publishRate > 0 ? 'publishRate' : 'requestRate', `${protocol.name} subscribers only listen: publish with mdbench-publisher --transport http`);
  const noRoom = cfg.publishRate > 0 ? stampRoomProblem(protocol, cfg.messageSize) : null;
  if (noRoom) p.add('messageSize', noRoom);
  if (cfg.requestRate > 0 && !protocol.can.request) p.add('requestRate', `the ${protocol.name} protocol has no request/response mechanism mdbench can drive`);
  p.throwIfAny();
}

/** The subjects subscribed over and how many subscriptions this instance plans: what the report's reconciliation pairs with the publishers' lists. */
function subscriptionPlanOf(cfg: ClientConfig, instances: number): Pick<ClientHeader, 'subjectSet' | 'subscriptions' | 'evenSubscriptions'> {
  const subjectSet = subjectSetOf(compilePatternList(cfg.subjects));
  const subscriptions = cfg.clients * cfg.subjectsPerClient;
  const fleet = subscriptions * instances;
  const even = cfg.oneToOne ? fleet % subjectSet.count === 0 : cfg.subjectsPerClient === subjectSet.count;
  return { subjectSet, subscriptions, evenSubscriptions: even };
}

/** The plan's lines in the log: instance, addresses and protocol, ports left out, warm-up, workers. */
function logPlan(ctx: CommandContext<ClientConfig>, plan: ClientPlan, protocol: RunProtocol, tls: ClientTls | undefined, workers: number): void {
  const cfg = ctx.config;
  const inst = plan.instance;
  if (inst.count > 1)
    ctx.log.info(
      'Instance',
      `${inst.index + 1} of ${inst.count}: fleet connections ${formatInt(plan.instanceFrom + 1)}..${formatInt(plan.instanceFrom + cfg.clients)}`,
    );
  const tlsText = tls ? `, TLS (${tls.verify ? 'verified' : 'NOT verified'}${tls.resume ? ', sessions resumed on reconnect' : ', full handshakes only'})` : '';
  const deflateText = cfg.compression === 'deflate' ? `, permessage-deflate offered (${cfg.deflateTakeover ? 'server context kept' : 'no context kept'})` : '';
  ctx.log.info('Plan', `${plan.addressPlan.describe()}, protocol ${protocol.name}${tlsText}${deflateText}`);
  if (plan.blocked.length) {
    const cost = plan.blocked.reduce((a, b) => a + b.connections, 0);
    ctx.log.info(
      'Ports left out',
      `${plan.blocked.map((b) => b.port).join(', ')} of LocalPorts: other programs listen on them (${plan.blocked.flatMap((b) => b.by).join(', ')}); ${formatInt(cost)} planned connection(s) would have failed with EADDRINUSE`,
    );
  }
  if (cfg.warmup > 0) ctx.log.info('Warm-up', `the messages of the first ${formatFixed(cfg.warmup, 1)} s from the first message are counted but not measured`);
  ctx.log.info(
    'Workers',
    `${workers} processes, ${formatInt(Math.ceil(cfg.clients / workers))} connections each at most, ${formatInt(cfg.connectRate)} connections/s`,
  );
}
