import { parseListenAddress } from '../config/listen-address.js';
import type { Problems } from '../config/problems.js';
import { MdbenchError, type SourceLocation } from '../errors.js';
import { HttpEndpoint } from './endpoint.js';
import { PROMETHEUS_CONTENT_TYPE } from './exposition.js';

const notAddress = (listen: string) => `"${listen}" is not HOST:PORT (":9464" listens on 127.0.0.1:9464)`;

/** A --metrics-listen that is not an address is a problem of the plan, found before anything starts. */
export function checkMetricsListen(problems: Problems, listen: string | undefined): void {
  if (listen !== undefined && !parseListenAddress(listen)) problems.add('metricsListen', notAddress(listen));
}

/**
 * Starts the `/metrics` endpoint `--metrics-listen` asks for (none without it). A malformed address
 * is exit 2, a port that cannot be opened exit 3, each one line naming where it came from.
 */
export async function serveMetrics(
  listen: string | undefined,
  body: () => string,
  token: string | undefined,
  where: SourceLocation,
): Promise<HttpEndpoint | null> {
  if (!listen) return null;
  const at = listenAddressOf(listen, where);
  const endpoint = new HttpEndpoint([{ path: '/metrics', contentType: PROMETHEUS_CONTENT_TYPE, body }], token);
  await endpoint.listen(at.host, at.port, 'metrics endpoint', where);
  return endpoint;
}

/** The address of a HOST:PORT option (`--metrics-listen`, `--dashboard`), or one line naming where it came from (exit 2). */
export function listenAddressOf(listen: string, where: SourceLocation): { host: string; port: number } {
  const at = parseListenAddress(listen);
  if (!at) throw new MdbenchError('MDB_CONFIG_VALUE', notAddress(listen), { location: where });
  return at;
}
