import { PrometheusText, type LatencyStats } from '@mdbench/core/internal';

export interface PublisherMetricsInput {
  sent: number;
  bytes: number;
  targetRatePerSec: number;
  lag: LatencyStats;
  inflight: number;
  acked: number;
  backlogBytes: number;
  down: number;
  errors: Record<string, number>;
}

/** The publisher's live metrics in Prometheus' text format. */
export function publisherMetrics(input: PublisherMetricsInput, labels: { protocol: string; instance: string; publisher: string }): string {
  return new PrometheusText()
    .counter('mdbench_publisher_messages_total', 'Messages published', input.sent, labels)
    .counter('mdbench_publisher_bytes_total', 'Bytes written', input.bytes, labels)
    .gauge('mdbench_publisher_target_rate', 'Messages per second the schedule holds', input.targetRatePerSec, labels)
    .latencySummary('mdbench_publisher_schedule_lag_seconds', 'Send time minus scheduled time', input.lag, labels)
    .gauge('mdbench_publisher_inflight', 'QoS 1 publishes not yet acknowledged', input.inflight, labels)
    .counter('mdbench_publisher_acked_total', 'QoS 1 publishes acknowledged', input.acked, labels)
    .gauge('mdbench_publisher_backlog_bytes', 'Bytes waiting in the sockets', input.backlogBytes, labels)
    .gauge('mdbench_publisher_connections_down', 'Publisher connections down now', input.down, labels)
    .counters('mdbench_publisher_errors_total', 'Connection errors and refusals by cause', 'cause', input.errors, labels)
    .toString();
}
