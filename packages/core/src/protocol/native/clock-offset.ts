import type { WsClientContext, WsTarget } from '../../ws/client-context.js';
import { WsClientConnection } from '../../ws/client-connection.js';
import { FrameType, NATIVE_SUBPROTOCOL, encodeTimeRequest, readU64 } from './codec.js';
import { systemClock, type Clock } from '../../clock.js';
import type { ClientTls } from '../../ws/tls-client.js';

/** One NTP-style exchange: client send t0, server time ts, client receive t3 (all epoch µs). */
export interface TimeSample {
  t0: number;
  ts: number;
  t3: number;
}

export interface ClockOffset {
  /** Server clock minus this host's clock, µs (positive: the server is ahead). */
  offsetUs: number;
  /** Round trip of the sample used, µs; the offset is exact to within half of it. */
  rttUs: number;
  samples: number;
}

/**
 * The offset from the sample with the smallest round trip (the one least disturbed by queueing):
 * offset = ts - (t0 + t3) / 2, with an error bound of rtt / 2.
 */
export function estimateOffset(samples: readonly TimeSample[]): ClockOffset | undefined {
  let best: TimeSample | undefined;
  for (const s of samples) if (!best || s.t3 - s.t0 < best.t3 - best.t0) best = s;
  if (!best) return undefined;
  return { offsetUs: best.ts - (best.t0 + best.t3) / 2, rttUs: best.t3 - best.t0, samples: samples.length };
}

/**
 * Measures this host's clock against the server's over the native protocol's TIME_REQUEST /
 * TIME_RESPONSE (docs/protocol.md); undefined when no sample came back in time.
 */
export function measureClockOffset(
  target: WsTarget & { path: string },
  opts: { samples: number; headers?: Record<string, string>; timeoutMs: number; clock?: Clock; tls?: ClientTls },
): Promise<ClockOffset | undefined> {
  const clock = opts.clock ?? systemClock;
  return new Promise((resolve) => {
    const samples: TimeSample[] = [];
    let conn: WsClientConnection;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn.close();
      resolve(estimateOffset(samples));
    };
    const ask = () => conn.send(encodeTimeRequest(clock.nowUs()));
    const ctx: WsClientContext<WsClientConnection> = {
      readBuffer: Buffer.allocUnsafe(4096),
      maxPayload: 1 << 20,
      mask: 'random',
      path: target.path,
      subprotocol: NATIVE_SUBPROTOCOL,
      headers: opts.headers,
      tls: opts.tls,
      events: {
        onOpen: ask,
        onMessage: (_c, _op, payload) => {
          if (payload.length < 20 || payload[0] !== FrameType.TIME_RESPONSE) return;
          samples.push({ t0: readU64(payload, 4), ts: readU64(payload, 12), t3: clock.nowUs() });
          if (samples.length >= opts.samples) finish();
          else ask();
        },
        onClose: () => finish(),
      },
    };
    conn = new WsClientConnection(ctx);
    const timer = setTimeout(finish, opts.timeoutMs);
    conn.open({ host: target.host, port: target.port, tls: target.tls }, clock.monotonicMs());
  });
}
