import type { Transport, WsClientContext, WsTarget } from './client-context.js';
import { WsClientConnection } from './client-connection.js';
import { systemClock, type Clock } from '../clock.js';
import type { ClientTls } from './tls-client.js';

export interface ProbeResult {
  ok: boolean;
  /** errno code, `handshake`, `closed` or `timeout` when not ok. */
  cause?: string;
  detail?: string;
  /** Round trip of connect + handshake, ms. */
  ms: number;
}

/**
 * Opens one WebSocket connection (kernel-chosen local port) and closes it again: tells before a run
 * whether the server is there and speaks the protocol.
 */
export function probeServer(
  target: WsTarget,
  opts: { path: string; subprotocol?: string; headers?: Record<string, string>; timeoutMs: number; clock?: Clock; tls?: ClientTls; transport?: Transport },
): Promise<ProbeResult> {
  const clock = opts.clock ?? systemClock;
  return new Promise((resolve) => {
    const start = clock.monotonicMs();
    let settled = false;
    const done = (r: Omit<ProbeResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, ms: clock.monotonicMs() - start });
    };
    const ctx: WsClientContext<WsClientConnection> = {
      readBuffer: Buffer.allocUnsafe(16 * 1024),
      maxPayload: 1 << 20,
      mask: 'random',
      path: opts.path,
      subprotocol: opts.subprotocol,
      headers: opts.headers,
      tls: opts.tls,
      transport: opts.transport,
      events: {
        onOpen: (c) => {
          done({ ok: true });
          c.close();
        },
        onMessage: () => {},
        onClose: (_c, cause, detail) => done({ ok: false, cause, detail }),
      },
    };
    const conn = new WsClientConnection(ctx);
    const timer = setTimeout(() => {
      done({ ok: false, cause: 'timeout', detail: `no handshake within ${opts.timeoutMs} ms` });
      conn.abort('timeout');
    }, opts.timeoutMs);
    conn.open({ host: target.host, port: target.port, tls: target.tls }, start);
  });
}
