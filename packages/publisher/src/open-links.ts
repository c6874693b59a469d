import { MdbenchError, deflateOfferOf, formatFixed, type CommandContext, type LogWriter } from '@mdbench/core/internal';
import { type LinkEvents, PublisherLinks, type Responder } from './links.js';
import type { PublisherConfig } from './options.js';
import type { PublisherSetup } from './prepare.js';

/** How long the first connections and their sessions may take. */
const OPEN_TIMEOUT_MS = 30_000;

/** What the links went through, for the Result line. */
export interface LinkHealth {
  lost: number;
  reconnects: number;
  downMs: number;
}

/** The links' events as log lines, counted into `health`. */
function linkEvents(log: LogWriter, health: LinkHealth, reconnect: boolean): LinkEvents {
  return {
    onLost: (cause, detail) => {
      health.lost++;
      log.warn(`publisher connection lost: ${cause}${detail ? ` (${detail})` : ''}${reconnect ? '; reconnecting' : ''}`);
    },
    onReconnected: (ms) => {
      health.reconnects++;
      health.downMs += ms;
      log.info('Reconnected', `after ${formatFixed(ms / 1000, 2)} s`);
    },
    onNote: (cause, detail) => log.warn(`the server refused or reported: ${cause}${detail && detail !== cause ? ` (${detail})` : ''}`),
  };
}

/**
 * Opens the publisher's connections and waits for every session. A session the server refused
 * (login) is a run error with its cause; anything else, an unreachable server.
 */
export async function openLinks(
  ctx: CommandContext<PublisherConfig>,
  setup: PublisherSetup,
  health: LinkHealth,
  responder?: Responder,
): Promise<PublisherLinks> {
  const cfg = ctx.config;
  const { servers, instance } = setup.plan;
  const links = new PublisherLinks(
    servers,
    {
      readBuffer: Buffer.allocUnsafe(64 * 1024),
      maxPayload: 1 << 20,
      mask: cfg.mask,
      text: setup.protocol.text,
      path: servers[0].path,
      subprotocol: setup.protocol.subprotocol,
      headers: setup.headers,
      tls: setup.tls,
      deflate: cfg.transport === 'http' ? undefined : deflateOfferOf(cfg),
      transport: cfg.transport === 'http' ? 'http' : 'websocket',
    },
    setup.protocol,
    {
      clock: ctx.io.clock,
      clientIdBase: `${cfg.clientIdPrefix}-pub-${instance.index + 1}-${setup.publisherId.toString(16)}`,
      policy: {
        enabled: cfg.reconnect,
        baseMs: cfg.reconnectMin * 1000,
        maxMs: cfg.reconnectMax * 1000,
        sessionTimeoutMs: cfg.handshakeTimeout * 1000,
        ackTimeoutMs: cfg.ackTimeout * 1000,
      },
      events: linkEvents(ctx.log, health, cfg.reconnect),
      responder,
    },
  );
  try {
    await links.open(cfg.connections, OPEN_TIMEOUT_MS);
  } catch (err) {
    links.close();
    throw new MdbenchError(links.refused > 0 ? 'MDB_REFUSED' : 'MDB_UNREACHABLE', (err as Error).message);
  }
  return links;
}
