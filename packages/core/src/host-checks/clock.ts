import type { HostView } from '../system/host-view.js';
import type { Finding } from './finding.js';

/** Beyond this offset (ms) latencies measured across hosts are off by as much. */
const CLOCK_WARN_MS = 1;

/** The clock offset chrony, systemd-timesyncd or ntpd report, in ms; undefined when none answers. */
export function clockState(host: HostView): { daemon: string; synced: boolean; offsetMs?: number } | undefined {
  const chrony = host.run('chronyc', ['tracking']);
  if (chrony) {
    const m = /System time\s*:\s*([\d.]+) seconds (fast|slow)/.exec(chrony);
    const leap = /Leap status\s*:\s*(.+)/.exec(chrony)?.[1].trim();
    return { daemon: 'chrony', synced: leap === 'Normal', offsetMs: m ? Number(m[1]) * 1000 * (m[2] === 'fast' ? 1 : -1) : undefined };
  }
  const timesyncd = host.run('timedatectl', ['show-timesync', '--all']) ?? host.run('timedatectl', ['status']);
  if (timesyncd && /NTPSynchronized=|System clock synchronized:/.test(timesyncd)) {
    const synced = /NTPSynchronized=yes|System clock synchronized:\s*yes/.test(timesyncd);
    const off = /Offset=([+-]?[\d.]+)(us|ms|s)/.exec(timesyncd);
    const ms = off ? Number(off[1]) * (off[2] === 'us' ? 1e-3 : off[2] === 's' ? 1e3 : 1) : undefined;
    return { daemon: 'systemd-timesyncd', synced, offsetMs: ms };
  }
  const ntpq = host.run('ntpq', ['-pn']);
  if (ntpq) {
    // The selected peer's line starts with '*'; its ninth column is the offset in ms.
    const line = ntpq.split('\n').find((l) => l.startsWith('*'));
    const cols = line?.trim().split(/\s+/);
    return { daemon: 'ntpd', synced: Boolean(line), offsetMs: cols && cols.length >= 9 ? Number(cols[8]) : undefined };
  }
  return undefined;
}

export function clockChecks(host: HostView): Finding[] {
  const s = clockState(host);
  if (!s)
    return [
      {
        item: 'clock synchronisation',
        level: 'warn',
        detail: 'neither chrony, systemd-timesyncd nor ntpd answered: latencies measured across hosts need clocks synchronised to well under a millisecond',
        fix: 'apt-get install chrony && systemctl enable --now chrony',
      },
    ];
  if (!s.synced)
    return [
      {
        item: 'clock synchronisation',
        level: 'warn',
        detail: `${s.daemon} reports the clock is not synchronised`,
        fix: s.daemon === 'chrony' ? 'chronyc makestep; chronyc sources' : 'systemctl restart systemd-timesyncd',
      },
    ];
  const off = s.offsetMs;
  if (off !== undefined && Math.abs(off) > CLOCK_WARN_MS)
    return [
      {
        item: 'clock synchronisation',
        level: 'warn',
        detail: `${s.daemon}: synchronised, but ${off.toFixed(3)} ms off its source: cross-host latencies shift by that much`,
        fix: s.daemon === 'chrony' ? 'chronyc makestep' : undefined,
      },
    ];
  return [{ item: 'clock synchronisation', level: 'ok', detail: `${s.daemon}: synchronised${off !== undefined ? `, offset ${off.toFixed(3)} ms` : ''}` }];
}
