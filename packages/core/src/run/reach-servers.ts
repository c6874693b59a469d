import type { CommandContext } from '../cli/command.js';
import { bearerHeaders, probeServers } from '../config/servers.js';
import type { ServerAddress } from '../config/server-address.js';
import { originOf } from '../config/resolve.js';
import type { RunProtocol } from '../protocol/run-protocol.js';
import { TLS_INSECURE_WARNING, clientTlsFor, type ClientTls, type ClientTlsOptions } from '../ws/tls-client.js';

/** What a load generator needs to reach its servers. */
export type ReachOptions = ClientTlsOptions & { token?: string; handshakeTimeout: number; transport?: string };

/** The subject an event-stream probe opens (one nobody publishes to). */
const PROBE_SUBJECT = '/mdbench/probe';

/**
 * Before anything connects: the TLS files read and checked (exit 2 naming the file; a warning on
 * every start without verification), then the servers probed with the protocol's own upgrade (exit
 * 4 with the cause and how to start such a server). Returns the TLS settings and the headers every
 * connection sends.
 */
export async function reachServers(
  ctx: CommandContext<ReachOptions>,
  servers: readonly ServerAddress[],
  protocol: RunProtocol,
): Promise<{ tls: ClientTls | undefined; headers: Record<string, string> | undefined }> {
  const cfg = ctx.config;
  const tls = clientTlsFor(servers, cfg, (name) => originOf(ctx.resolved, name));
  if (tls && !tls.verify) ctx.log.warn(TLS_INSECURE_WARNING);
  const headers = bearerHeaders(cfg.token);
  const transport = cfg.transport === 'sse' || cfg.transport === 'http' ? cfg.transport : 'websocket';
  await probeServers(servers, {
    transport,
    path: protocol.can.subscribeByPath ? protocol.topic(PROBE_SUBJECT) : undefined,
    subprotocol: protocol.subprotocol,
    headers,
    tls,
    timeoutMs: cfg.handshakeTimeout * 1000,
    hint: `start the ${protocol.name} server first${protocol.serverHint ? ` (${protocol.serverHint})` : ''}, or fix ServerAddresses (HOST:PORT or ws://HOST:PORT/PATH)`,
  });
  return { tls, headers };
}
