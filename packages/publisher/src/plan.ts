import {
  Problems,
  checkMetricsListen,
  compilePatternList,
  instanceSlice,
  resolveInstance,
  resolveServers,
  sliceSequence,
  stampRoomProblem,
  toArray,
  tlsFilesOf,
  type HostPlan,
  type Instance,
  type RunProtocol,
  type ResolvedConfig,
  type Sequence,
  type ServerAddress,
} from '@mdbench/core/internal';
import type { PublisherConfig } from './options.js';

/** `/` + PublisherType + subject, as the article builds /p/s1/- from p and /s1/-. */
export function prefixedSubjects(seq: Sequence, type: string | undefined): Sequence {
  if (!type) return seq;
  const prefix = `/${type}`;
  return { count: seq.count, at: (i) => prefix + seq.at(i) };
}

/** Subjects precomputed (mapped to the protocol's names) when the set is small, computed per message when it is large. */
export function topicLookup(seq: Sequence, topic: (s: string) => string): (i: number) => string {
  if (seq.count > 200_000) return (i) => topic(seq.at(i));
  const all = toArray(seq).map(topic);
  return (i) => all[i];
}

export interface PublisherPlan {
  servers: ServerAddress[];
  /** This instance's share of the subjects. */
  subjects: Sequence;
  /** The whole list, every instance's share. */
  allSubjects: Sequence;
  instance: Instance;
}

/**
 * Expands and checks everything before a connection is opened, every problem at once with where
 * its value came from. Instance k of N publishes to the k-th share of the subjects, as the
 * article's 8 publishers did.
 */
export function buildPublisherPlan(
  cfg: PublisherConfig,
  resolved: Pick<ResolvedConfig, 'origins'>,
  env: Record<string, string | undefined>,
  protocol: RunProtocol,
): PublisherPlan {
  const p = new Problems(resolved);
  const servers = p.check('serverAddresses', () => resolveServers(cfg.serverAddresses)) ?? [];
  const allSubjects = p.check('subjects', () => prefixedSubjects(compilePatternList(cfg.subjects), cfg.publisherType));
  let subjects = allSubjects;
  const instance = p.check('instance', () => resolveInstance(cfg.instance, cfg.instances, env)) ?? { index: 0, count: 1 };
  if (subjects) {
    const share = instanceSlice(subjects.count, instance);
    if (share.count === 0) p.add('subjects', `${subjects.count} subject(s) leave none for instance ${instance.index + 1} of ${instance.count}`);
    else if (instance.count > 1) subjects = sliceSequence(subjects, share.from, share.count);
  }
  const noRoom = stampRoomProblem(protocol, cfg.messageSize);
  if (noRoom) p.add('messageSize', noRoom);
  if (cfg.reconnectMin > cfg.reconnectMax) p.add('reconnectMin', `ReconnectMin ${cfg.reconnectMin} s is above ReconnectMax ${cfg.reconnectMax} s`);
  checkMetricsListen(p, cfg.metricsListen);
  p.throwIfAny();
  return { servers, subjects: subjects as Sequence, allSubjects: allSubjects as Sequence, instance };
}

/** What this run asks of the host, for mdbench-doctor: one process, its connections to the servers. */
export function publisherHostPlan(cfg: PublisherConfig): HostPlan {
  const servers = resolveServers(cfg.serverAddresses);
  return {
    role: 'publisher',
    sockets: cfg.connections,
    socketsPerProcess: cfg.connections,
    processes: 1,
    localAddresses: [],
    serverHost: servers[0].host,
    iface: cfg.iface,
    tls: tlsFilesOf(cfg),
  };
}
