import type { CommandContext } from '../cli/command.js';
import { originOf } from '../config/resolve.js';
import { MetricsPusher, pushGroupUrl } from '../prometheus/push.js';
import { serveMetrics } from '../prometheus/serve-metrics.js';
import type { RunScope } from './run-scope.js';

/** The monitoring options every load-generating tool takes. */
export interface MonitoringOptions {
  metricsListen?: string;
  metricsPush?: string;
  token?: string;
}

/** A run's Prometheus export: the /metrics endpoint and the Pushgateway pusher, each when asked for. */
export interface Monitoring {
  /** Pushes the current text (every interval). */
  push(): void;
  /** The last push, waited for (after the summary). */
  final(): Promise<void>;
}

/** --metrics-push's group URL, checked before anything opens (exit 2 naming where it came from). */
export function metricsPushUrl(ctx: CommandContext<MonitoringOptions>, tool: string, instance: number): string | null {
  const cfg = ctx.config;
  return cfg.metricsPush ? pushGroupUrl(cfg.metricsPush, tool, instance, originOf(ctx.resolved, 'metricsPush')) : null;
}

/**
 * Opens the /metrics endpoint before any connection or worker starts, so a port that cannot be
 * opened stops nothing running; `text` is read on every scrape and push.
 */
export async function openMonitoring(ctx: CommandContext<MonitoringOptions>, scope: RunScope, pushUrl: string | null, text: () => string): Promise<Monitoring> {
  const cfg = ctx.config;
  const endpoint = scope.hold('metrics endpoint', await serveMetrics(cfg.metricsListen, text, cfg.token, originOf(ctx.resolved, 'metricsListen')), (e) =>
    e.close(),
  );
  if (endpoint) ctx.log.info('Metrics', `${endpoint.url}/metrics`);
  const pusher = pushUrl ? new MetricsPusher(pushUrl, text, (m) => ctx.log.warn(m)) : null;
  if (pushUrl) ctx.log.info('Metrics push', pushUrl);
  return { push: () => pusher?.push(), final: async () => pusher?.final() };
}
