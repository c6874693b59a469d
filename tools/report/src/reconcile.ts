import { formatInt, type PublisherRecord } from '@mdbench/core/internal';
import type { InstanceRun } from './merge.js';
import { isPublisher, type LogRecord } from './read-logs.js';

/** What the publishers sent against what the subscribers received, over the subject plan. */
export interface Delivery {
  published: number;
  /** Deliveries the plan asks for: each message once per subscription on its subject, less those published before a subscriber joined its stream. */
  expected: number;
  /** Distinct messages received (duplicates left out, warm-up included). */
  received: number;
  undelivered: number;
  /** True when every subject has the same number of subscriptions (the expectation is exact); else it is an estimate, judged beyond 1%. */
  exact: boolean;
  /** Why the logs cannot be reconciled (then nothing is judged). */
  notReconciled?: string;
}

interface PublisherRun {
  name: string;
  last: PublisherRecord;
  endMs: number;
}

function publisherRuns(records: LogRecord[]): PublisherRun[] {
  const byKey = new Map<string, PublisherRun>();
  for (const r of records) {
    if (!isPublisher(r) || (r.type !== 'interval' && r.type !== 'summary')) continue;
    const key = `${r.host}/${r.pid}/${r._file}`;
    const endMs = Date.parse(r.ts);
    const run = byKey.get(key);
    // The summary, or the latest interval of a publisher cut short: its totalSent counts from the start.
    if (!run || r.type === 'summary' || (run.last.type !== 'summary' && endMs >= run.endMs))
      byKey.set(key, { name: `publisher ${r.instance} (${r.host}, ${r._file})`, last: r, endMs });
  }
  return [...byKey.values()];
}

/** A subject list's publishing: what the publishers sent over it, what the clients themselves published on it, its subscriptions. */
interface SubjectGroup {
  sent: number;
  clientSent: number;
  count: number;
  subscriptions: number;
}

/**
 * Reconciles what was published with what the subscribers received: the publishers' logs, and the
 * messages the clients published themselves (--publish-rate: each reaches every other subscription
 * of its subject, the sender's own copy counted apart). Null when nothing was published.
 */
export function reconcile(records: LogRecord[], runs: InstanceRun[]): Delivery | null {
  const pubs = publisherRuns(records);
  const clientPublished = runs.reduce((a, r) => a + (r.summary?.counters.published ?? 0), 0);
  if (pubs.length === 0 && clientPublished === 0) return null;
  const published = pubs.reduce((a, p) => a + p.last.totalSent, 0) + clientPublished;
  const none = (why: string): Delivery => ({ published, expected: 0, received: 0, undelivered: 0, exact: false, notReconciled: why });
  const unlabelled = pubs.find((p) => !p.last.subjectSet);
  if (unlabelled) return none(`${unlabelled.name} does not say which subjects it published over (written by an older mdbench)`);
  const groups = new Map<string, SubjectGroup>();
  for (const p of pubs) {
    const set = p.last.subjectSet!;
    const g = groups.get(set.digest) ?? { sent: 0, clientSent: 0, count: set.count, subscriptions: 0 };
    g.sent += p.last.totalSent;
    groups.set(set.digest, g);
  }
  const lastPublisherEndMs = Math.max(-Infinity, ...pubs.map((p) => p.endMs));
  let notExpected = 0;
  let received = 0;
  let exact = true;
  for (const run of runs) {
    const s = run.summary;
    const label = `client instance ${run.instance} (${run.host}, ${run.file})`;
    if (!s) return none(`${label} has no summary (the run was cut short)`);
    if (!s.subjectSet || s.subscriptions === undefined) return none(`${label} does not say which subjects it subscribed over (written by an older mdbench)`);
    const c = s.counters;
    let g = groups.get(s.subjectSet.digest);
    if (!g && (c.published ?? 0) > 0) groups.set(s.subjectSet.digest, (g = { sent: 0, clientSent: 0, count: s.subjectSet.count, subscriptions: 0 }));
    if (!g) return none(`${label} subscribes over ${formatInt(s.subjectSet.count)} subjects from ${s.subjectSet.first} that no publisher published over`);
    if (Date.parse(s.ts) < lastPublisherEndMs) return none(`${label} stopped before the publishers did: what they sent after it was never expected`);
    g.subscriptions += s.subscriptions;
    g.clientSent += c.published ?? 0;
    // Published on a stream before this subscriber joined it, or while it was away by its own close: never expected here.
    notExpected += (c.joinedAfter ?? 0) + (c.missedOffline ?? 0);
    received += (c.messages ?? 0) + (c.warmupMessages ?? 0) - (c.duplicates ?? 0);
    exact &&= s.evenSubscriptions === true;
  }
  let expected = -notExpected;
  for (const g of groups.values()) {
    const perSubject = g.subscriptions / g.count;
    // A client's own message reaches the other subscriptions of its subject (its own copy is selfDelivered, not a message).
    expected += g.sent * perSubject + g.clientSent * Math.max(0, perSubject - 1);
  }
  expected = Math.round(expected);
  return { published, expected, received, undelivered: Math.max(0, expected - received), exact };
}

/** Whether the undelivered messages fail the run: any when the expectation is exact, beyond 1% of it when it is an estimate. */
export function deliveryFailed(delivery: Delivery): boolean {
  if (delivery.notReconciled) return false;
  return delivery.exact ? delivery.undelivered > 0 : delivery.undelivered > delivery.expected * 0.01;
}

/** The Delivery line: `4,791,894 published, 2,879,125 of 4,791,894 expected deliveries received: 1,912,769 undelivered`. */
export function deliveryText(delivery: Delivery): string {
  if (delivery.notReconciled) return `${formatInt(delivery.published)} published; not reconciled: ${delivery.notReconciled}`;
  const estimate = delivery.exact ? '' : ' (estimated: the subjects have unequal numbers of subscriptions; judged beyond 1%)';
  return `${formatInt(delivery.published)} published, ${formatInt(Math.min(delivery.received, delivery.expected))} of ${formatInt(delivery.expected)} expected deliveries received: ${formatInt(delivery.undelivered)} undelivered${estimate}`;
}
