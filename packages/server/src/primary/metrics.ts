import { PrometheusText } from '@mdbench/core/internal';
import type { ServerTotals } from './totals.js';

/** The server's live metrics in Prometheus' text format (counts as the workers last reported them, once a second). */
export function serverMetrics(totals: ServerTotals, hubForwarded: number): string {
  const p = new PrometheusText();
  const n = (k: string) => totals.total[k] ?? 0;
  p.gauge('mdbench_server_connections', 'WebSocket connections open', totals.gauge('connections'))
    .gauge('mdbench_server_subscriptions', 'Subscriptions held (subject x connection)', totals.gauge('subscriptions'))
    .gauge('mdbench_server_subjects', 'Subjects with a subscriber', totals.gauge('subjects'))
    .gauge('mdbench_server_workers', 'Worker processes reporting', totals.workers)
    .counter('mdbench_server_messages_in_total', 'Messages published to the server', n('messagesIn'))
    .counter('mdbench_server_messages_out_total', 'Messages delivered to subscribers', n('messagesOut'))
    .counter('mdbench_server_requests_total', 'Requests answered (native REQUEST)', n('requests'))
    .counter('mdbench_server_bytes_out_total', 'Bytes delivered to subscribers', n('bytesOut'))
    .counter('mdbench_server_slow_drops_total', 'Messages dropped for slow consumers', n('slowDrops'))
    .counter('mdbench_server_slow_disconnects_total', 'Slow consumers disconnected', n('slowDisconnects'))
    .counter('mdbench_server_malformed_total', 'Frames that did not decode', n('malformed'))
    .counter('mdbench_server_oversized_total', 'Frames over BufferLimit.Receive', n('oversized'))
    .counter('mdbench_server_rejected_total', 'Upgrades refused for a wrong token', n('rejected'))
    .counter('mdbench_server_bad_upgrades_total', 'Upgrade requests that were not valid', n('badUpgrades'))
    .counter('mdbench_server_hub_forwarded_total', 'Messages carried between workers by the hub', hubForwarded)
    .gauge('mdbench_server_rss_bytes', 'Resident memory of the workers', totals.gauge('rssBytes'));
  return p.toString();
}
