import { formatFixed, type BandwidthMeter, type Clock, type JsonLinesWriter, type LogWriter, type ServerRecord } from '@mdbench/core/internal';
import { serverBlock } from './server-block.js';
import type { ServerTotals } from './totals.js';

export type ServerHeader = Pick<ServerRecord, 'v' | 'tool' | 'version' | 'host' | 'pid' | 'instance' | 'instances' | 'processes'>;

/** The server's reports: its block every interval and for the whole run, and the same as JSON records. */
export class ServerReporter {
  private readonly startMs: number;
  private lastMs: number;

  constructor(
    private readonly options: {
      log: LogWriter;
      json: JsonLinesWriter | null;
      header: ServerHeader;
      clock: Clock;
      totals: ServerTotals;
      bandwidth?: BandwidthMeter;
      hubForwarded(): number;
    },
  ) {
    this.startMs = this.lastMs = options.clock.monotonicMs();
  }

  report(kind: 'interval' | 'summary'): void {
    const { log, json, totals, clock } = this.options;
    const now = clock.monotonicMs();
    const interval = totals.takeInterval();
    const seconds = (now - this.lastMs) / 1000;
    this.lastMs = now;
    const uptimeS = (now - this.startMs) / 1000;
    const bandwidth = kind === 'interval' ? this.options.bandwidth?.take(now) : undefined;
    if (kind === 'summary') log.info('Summary', 'whole run');
    // The whole run's rates: over the time messages flowed, not the uptime (idle minutes before and after would dilute them).
    const flowingS = totals.flowingS;
    const rateSeconds = kind === 'summary' ? flowingS : seconds;
    const note = kind === 'summary' && flowingS > 0 ? `over the ${formatFixed(flowingS, 1)} s from the first message in to the last` : undefined;
    log.block(serverBlock(totals, uptimeS, kind === 'summary' ? totals.total : interval, rateSeconds, bandwidth, note));
    json?.write({
      ...this.options.header,
      type: kind,
      ts: new Date().toISOString(),
      uptimeS,
      seconds: kind === 'summary' ? uptimeS : seconds,
      connections: totals.gauge('connections'),
      subscriptions: totals.gauge('subscriptions'),
      subjects: totals.gauge('subjects'),
      workers: totals.workers,
      hubForwarded: this.options.hubForwarded(),
      totals: { ...totals.total },
      interval,
      rssBytes: totals.gauge('rssBytes'),
      heapUsedBytes: totals.gauge('heapUsedBytes'),
      ...(bandwidth ? { bandwidth } : {}),
    });
  }
}
