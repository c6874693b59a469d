import { randomBytes } from 'node:crypto';
import {
  Problems,
  bandwidthMeterFor,
  loadProtocol,
  metricsPushUrl,
  openOutputs,
  originOf,
  parseThresholds,
  protocolOptionsOf,
  protocolNameOf,
  reachServers,
  type BandwidthMeter,
  type ClientTls,
  type CommandContext,
  type RunOutputs,
  type RunProtocol,
  type RunScope,
  type Threshold,
  withProtocolPath,
} from '@mdbench/core/internal';
import type { PublisherConfig } from './options.js';
import { type PublisherPlan, buildPublisherPlan } from './plan.js';
import { PUBLISHER_THRESHOLD_METRICS } from './reporter.js';

/** Everything a publisher run settles before it connects. */
export interface PublisherSetup {
  plan: PublisherPlan;
  thresholds: Threshold[];
  protocol: RunProtocol;
  tls: ClientTls | undefined;
  headers: Record<string, string> | undefined;
  pushUrl: string | null;
  out: RunOutputs;
  bandwidth: BandwidthMeter | undefined;
  /**
   * This publisher's id in every stamp (random: publishers of a fleet are told apart by it), its top
   * bit clear: client connections that publish set it (their fleet number below).
   */
  publisherId: number;
}

/**
 * The publisher's checks before it connects, each ending in one line and its exit code: the
 * thresholds, the protocol, the plan, the output files, TLS files and the servers (reachServers).
 */
export async function preparePublisher(ctx: CommandContext<PublisherConfig>, version: string, scope: RunScope): Promise<PublisherSetup> {
  const cfg = ctx.config;
  const thresholds = parseThresholds(cfg.thresholds ?? '', PUBLISHER_THRESHOLD_METRICS, originOf(ctx.resolved, 'thresholds'));
  const role = cfg.respond ? 'responder' : 'publisher';
  const named = protocolNameOf(cfg, role);
  if (named.problem) {
    const p = new Problems(ctx.resolved);
    p.add(named.problem.option, named.problem.message);
    p.throwIfAny();
  }
  const protocol = await loadProtocol(named.name, protocolOptionsOf(cfg, role, cfg.window), (n) => originOf(ctx.resolved, n), ctx.io.cwd);
  if (cfg.respond && !protocol.can.respond) {
    const p = new Problems(ctx.resolved);
    p.add('respond', `the ${protocol.name} protocol cannot answer requests as a responder`);
    p.throwIfAny();
  }
  const plan = buildPublisherPlan(cfg, ctx.resolved, ctx.io.env, protocol);
  plan.servers = withProtocolPath(plan.servers, protocol);
  const inst = plan.instance;
  const pushUrl = metricsPushUrl(ctx, 'mdbench-publisher', inst.index + 1);
  const out = openOutputs(cfg, `mdbench-publisher ${version} instance ${inst.index + 1}/${inst.count}, schedule lag in us`, scope, ctx.log, ctx.io.clock);
  const bandwidth = bandwidthMeterFor(cfg.iface, plan.servers[0].host, undefined, ctx.io.clock.monotonicMs(), originOf(ctx.resolved, 'iface'));
  const { tls, headers } = await reachServers(ctx, plan.servers, protocol);
  return { plan, thresholds, protocol, tls, headers, pushUrl, out, bandwidth, publisherId: randomBytes(4).readUInt32BE(0) & 0x7fff_ffff };
}
