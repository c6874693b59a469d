import { buildStreamRequest } from '../sse/http-head.js';
import type { WsClientConnection } from './client-connection.js';
import type { WsClientContext, WsTarget } from './client-context.js';
import { buildUpgradeRequest } from './handshake.js';

/**
 * The request that opens a connection once its TCP (and TLS) connection is up: an event stream's
 * GET (resuming after `lastEventId` when there is one) or the WebSocket upgrade with the context's
 * subprotocol, headers and compression offer.
 */
export function openingRequest(ctx: WsClientContext<WsClientConnection>, target: WsTarget, path: string, key: string, lastEventId: string | null): string {
  const { host, port } = target;
  if (ctx.transport === 'sse') return buildStreamRequest({ host, port, path, headers: ctx.headers, lastEventId });
  return buildUpgradeRequest({ host, port, path, key, subprotocol: ctx.subprotocol, headers: ctx.headers, deflate: ctx.deflate });
}
