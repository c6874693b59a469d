import { HttpEndpoint, PROMETHEUS_CONTENT_TYPE, type RunScope } from '@mdbench/core/internal';
import type { Hub } from '../hub/hub.js';
import { serverMetrics } from './metrics.js';
import type { Supervisor } from './supervisor.js';
import type { ServerTotals } from './totals.js';

/**
 * The monitor endpoint: /stats (JSON totals), /connections (every worker's peers) and /metrics
 * (Prometheus), held by the run's scope.
 */
export async function openMonitor(
  scope: RunScope,
  at: { host: string; port: number },
  token: string | undefined,
  parts: { totals: ServerTotals; hub: Hub | null; supervisor: Supervisor },
): Promise<HttpEndpoint> {
  const { totals, hub, supervisor } = parts;
  // Requests that arrive while a listing is being gathered from the workers share it: one fan-out
  // to every worker at a time, however often the route is asked.
  let listing: Promise<string> | null = null;
  const connectionList = () =>
    (listing ??= supervisor
      .connections()
      .then((peers) => JSON.stringify({ count: peers.length, peers }))
      .finally(() => (listing = null)));
  const monitor = new HttpEndpoint(
    [
      {
        path: '/stats',
        contentType: 'application/json',
        body: () => JSON.stringify({ ...totals.snapshot(), hubForwarded: hub?.forwarded ?? 0, port: supervisor.port }),
      },
      { path: '/connections', contentType: 'application/json', body: () => connectionList() },
      { path: '/metrics', contentType: PROMETHEUS_CONTENT_TYPE, body: () => serverMetrics(totals, hub?.forwarded ?? 0) },
    ],
    token,
  );
  await monitor.listen(at.host, at.port, 'monitor');
  return scope.hold('monitor endpoint', monitor, (m) => m.close());
}
