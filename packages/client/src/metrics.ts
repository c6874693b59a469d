import { PHASES, PrometheusText, TIMED, failedCounter, type ClientGauges, type ClientStats } from '@mdbench/core/internal';

/**
 * The client's live metrics in Prometheus' text format: counts of the run so far, connections by
 * state now, and latency quantiles from the run's merged histogram (updated every --interval).
 */
export function clientMetrics(run: ClientStats, gauges: ClientGauges, labels: { protocol: string; instance: string }): string {
  const p = new PrometheusText();
  const c = (k: string) => run.count(k);
  p.counter('mdbench_client_messages_total', 'Stamped messages received and measured', c('messages'), labels)
    .counter('mdbench_client_bytes_total', 'Payload bytes received', c('bytes'), labels)
    .counter('mdbench_client_gaps_total', 'Messages lost: sequence numbers skipped per (publisher, subject) stream', c('gaps'), labels)
    .counter('mdbench_client_duplicates_total', 'Messages received twice', c('duplicates'), labels)
    .counter('mdbench_client_out_of_order_total', 'Messages received after a later one', c('outOfOrder'), labels)
    .counter('mdbench_client_unstamped_total', 'Messages without an mdbench stamp (published by other clients)', c('unstamped'), labels)
    .counter('mdbench_client_malformed_total', 'Frames or packets that did not decode', c('malformed'), labels)
    .counter('mdbench_client_disconnects_total', 'Open connections that dropped', c('disconnects'), labels)
    .counter('mdbench_client_reconnects_total', 'Dropped connections open again', c('reconnects'), labels)
    .counter('mdbench_client_refusals_total', 'Logins or subscriptions the server refused', c('refused'), labels)
    .counters('mdbench_client_errors_total', 'Connection errors and refusals by cause', 'cause', run.errors, labels);
  for (const state of ['open', 'connected', 'subscribed', 'connecting', 'reconnecting', 'failed', 'planned'] as const) {
    p.gauge('mdbench_client_connections', 'Connections by state', gauges[state], { ...labels, state });
  }
  p.latencySummary(
    'mdbench_client_latency_seconds',
    'Message latency from the stamp (scheduled time by default), merged over every worker',
    run.latency,
    labels,
  );
  for (const phase of TIMED) {
    const l = run.phases.byPhase[phase];
    if (l.welford.count > 0)
      p.latencySummary(
        'mdbench_client_connect_phase_seconds',
        'Time of each phase of the connection attempts: tcp, tls, upgrade (101), session (subscriptions acknowledged), and connect (the whole attempt)',
        l,
        { ...labels, phase },
      );
  }
  for (const phase of PHASES) {
    p.counter(
      'mdbench_client_connect_failures_total',
      'Connection attempts that failed, by the phase they reached: tcp, tls, upgrade, session',
      c(failedCounter(phase)),
      { ...labels, phase },
    );
  }
  if (c('published') + c('publishMissed') > 0) {
    p.counter('mdbench_client_published_total', 'Messages the connections themselves published (--publish-rate)', c('published'), labels).counter(
      'mdbench_client_self_delivered_total',
      "Connections' own messages delivered back to them",
      c('selfDelivered'),
      labels,
    );
  }
  if (c('requests') + c('requestMissed') > 0) {
    p.counter('mdbench_client_requests_total', 'Requests made (--request-rate)', c('requests'), labels)
      .counter('mdbench_client_replies_total', 'Replies matched to their request', c('replies'), labels)
      .counter('mdbench_client_request_timeouts_total', 'Requests with no reply within --request-timeout', c('requestTimeouts'), labels)
      .latencySummary('mdbench_client_rtt_seconds', 'Request round trip, from the write to the reply, on the client clock', run.rtt, labels);
  }
  p.gauge('mdbench_client_event_loop_delay_p99_seconds', 'Worst worker event-loop delay p99 over the run', run.loopP99Ms / 1000, labels);
  return p.toString();
}
