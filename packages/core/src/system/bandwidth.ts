import { readFileSync } from 'node:fs';
import os from 'node:os';
import { MdbenchError, type SourceLocation } from '../errors.js';

/** Byte and packet counters of one interface, from /proc/net/dev. */
export interface InterfaceCounters {
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
}

/** Traffic of an interface over an interval, per second. */
export interface BandwidthRates {
  interface: string;
  inBytesPerSec: number;
  outBytesPerSec: number;
  inPacketsPerSec: number;
  outPacketsPerSec: number;
}

/** Every interface's counters in a /proc/net/dev text. */
export function parseNetDev(text: string): Map<string, InterfaceCounters> {
  const out = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    if (f.length < 16 || f.some((x) => !Number.isFinite(x))) continue;
    out.set(m[1], { rxBytes: f[0], rxPackets: f[1], txBytes: f[8], txPackets: f[9] });
  }
  return out;
}

/** The interface that carries traffic to `host` from this machine: `lo` for loopback, else the one holding `localAddress`, else the default route's. */
export function interfaceFor(host: string, localAddress: string | undefined, files: { route?: string } = {}): string | undefined {
  if (host === 'localhost' || host.startsWith('127.') || host === '::1') return 'lo';
  const ifaces = os.networkInterfaces();
  if (localAddress) {
    for (const [name, list] of Object.entries(ifaces)) if (list?.some((a) => a.address === localAddress)) return name;
  }
  const route = files.route ?? readOr('/proc/net/route');
  for (const line of route.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length > 2 && f[1] === '00000000') return f[0];
  }
  return undefined;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Measures an interface's traffic per interval from /proc/net/dev: each `take` returns the rates
 * since the previous one. Loopback counts every packet once (sent and received are the same).
 */
export class BandwidthMeter {
  readonly iface: string;
  private readonly read: () => string;
  private last: InterfaceCounters | undefined;
  private lastMs: number;

  constructor(iface: string, nowMs: number, read: () => string = () => readOr('/proc/net/dev')) {
    this.iface = iface;
    this.read = read;
    this.last = parseNetDev(read()).get(iface);
    this.lastMs = nowMs;
  }

  /** Whether /proc/net/dev lists the interface. */
  get exists(): boolean {
    return this.last !== undefined;
  }

  /** Rates since the previous call (or since construction). */
  take(nowMs: number): BandwidthRates | undefined {
    const cur = parseNetDev(this.read()).get(this.iface);
    const prev = this.last;
    const s = (nowMs - this.lastMs) / 1000;
    this.last = cur;
    this.lastMs = nowMs;
    if (!cur || !prev || s <= 0) return undefined;
    return {
      interface: this.iface,
      inBytesPerSec: (cur.rxBytes - prev.rxBytes) / s,
      outBytesPerSec: (cur.txBytes - prev.txBytes) / s,
      inPacketsPerSec: (cur.rxPackets - prev.rxPackets) / s,
      outPacketsPerSec: (cur.txPackets - prev.txPackets) / s,
    };
  }
}

/**
 * The meter a tool reports bandwidth with: the named interface (which must exist: exit 3 with the
 * interfaces there are), else the one that reaches `host`; undefined where /proc/net/dev is absent.
 */
export function bandwidthMeterFor(
  named: string | undefined,
  host: string,
  localAddress: string | undefined,
  nowMs: number,
  where: SourceLocation,
  read?: () => string,
): BandwidthMeter | undefined {
  const iface = named ?? interfaceFor(host, localAddress);
  if (!iface) return undefined;
  const meter = new BandwidthMeter(iface, nowMs, read);
  if (meter.exists) return meter;
  if (!named) return undefined;
  const known = [...parseNetDev((read ?? (() => readOr('/proc/net/dev')))()).keys()];
  throw new MdbenchError(
    'MDB_NO_INTERFACE',
    `network interface "${named}" does not exist on this host${known.length ? ` (there are: ${known.join(', ')})` : ''}`,
    { location: where },
  );
}
