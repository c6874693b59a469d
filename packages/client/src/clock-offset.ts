import {
  bearerHeaders,
  formatFixed,
  measureClockOffset,
  type ClientTls,
  type ClockOffset,
  type LogWriter,
  type RunProtocol,
  type ServerAddress,
} from '@mdbench/core/internal';
import type { ClientConfig } from './options.js';

/** A clock offset against the server beyond this (µs) gets a warning. */
const CLOCK_WARN_US = 1000;

/** The clock offset against the first server, logged (only a protocol with a time probe can measure it). */
export async function clockOffset(
  cfg: ClientConfig,
  log: LogWriter,
  server: ServerAddress,
  protocol: RunProtocol,
  tls: ClientTls | undefined,
): Promise<ClockOffset | undefined> {
  if (cfg.clockSamples === 0) return undefined;
  if (!protocol.can.timeProbe) {
    log.info('Clock offset', `not measured: ${protocol.name} has no time probe (keep the hosts' clocks synchronised with NTP or PTP)`);
    return undefined;
  }
  const clock = await measureClockOffset(server, { samples: cfg.clockSamples, headers: bearerHeaders(cfg.token), timeoutMs: 5000, tls });
  if (!clock) return undefined;
  const sign = clock.offsetUs >= 0 ? '+' : '';
  log.info(
    'Clock offset',
    `${sign}${formatFixed(clock.offsetUs / 1000, 3)} ms against ${server.text} (round trip ${formatFixed(clock.rttUs / 1000, 3)} ms, best of ${clock.samples})`,
  );
  if (Math.abs(clock.offsetUs) > CLOCK_WARN_US) {
    log.warn(
      `this host's clock is ${formatFixed(clock.offsetUs / 1000, 1)} ms off the server's: latencies across hosts are shifted by about that much (synchronise with NTP/PTP)`,
    );
  }
  return clock;
}
