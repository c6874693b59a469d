import type { PortRange } from '../config/option-spec.js';
import type { HostView } from './host-view.js';

/** A TCP socket listening on this host: its address (`*` for every address) and port. */
export interface Listener {
  address: string;
  port: number;
}

const LISTEN = '0A';

/** An address of /proc/net/tcp{,6}: IPv4 as 8 hex digits (little-endian), IPv6 as 32; all zeros is `*`. */
function addressOf(hex: string): string {
  if (/^0+$/.test(hex)) return '*';
  if (hex.length === 8) return [3, 2, 1, 0].map((k) => parseInt(hex.slice(k * 2, k * 2 + 2), 16)).join('.');
  // IPv6: four 32-bit words, each little-endian; an IPv4-mapped address is shown as IPv4.
  const bytes = [0, 1, 2, 3].flatMap((w) => [3, 2, 1, 0].map((k) => parseInt(hex.slice(w * 8 + k * 2, w * 8 + k * 2 + 2), 16)));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] << 8) | bytes[i * 2 + 1]).toString(16));
  return groups
    .join(':')
    .replace(/\b(?:0:){2,}0?/, ':')
    .replace(/^:?:/, '::');
}

/** Every listening TCP socket of the host (IPv4 and IPv6), from /proc/net/tcp and tcp6. */
export function listeningSockets(host: HostView): Listener[] {
  const out: Listener[] = [];
  const seen = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (host.read(file) ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== LISTEN) continue;
      const [hex, portHex] = f[1].split(':');
      const l = { address: addressOf(hex), port: parseInt(portHex, 16) };
      const key = `${l.address}:${l.port}`;
      if (!seen.has(key)) out.push(l);
      seen.add(key);
    }
  }
  return out;
}

/** A port of the plan's LocalPorts another program listens on, where the plan would bind it, and the connections that would fail. */
export interface BlockedPort {
  port: number;
  /** The listeners in the way, as `*:2024` or `127.0.0.2:5000`. */
  by: string[];
  /** Planned connections that would bind it (each fails with EADDRINUSE for as long as the run lasts). */
  connections: number;
}

/**
 * The ports of `ports` that listeners block for the plan's addresses: one on every address (`*`)
 * blocks the port on each alias, one on a planned address blocks it there. Connection i binds
 * address i mod A at port from + floor(i / A) (AddressPlan), so port p is wanted by the connections
 * (p - from) * A up to A more, fewer on the last port used.
 */
export function blockedPorts(listeners: readonly Listener[], plan: { addresses: readonly string[]; ports: PortRange; clients: number }): BlockedPort[] {
  const A = plan.addresses.length;
  if (A === 0) return [];
  const byPort = new Map<number, string[]>();
  for (const l of listeners) {
    if (l.port < plan.ports.from || l.port > plan.ports.to) continue;
    if (l.address !== '*' && !plan.addresses.includes(l.address)) continue;
    byPort.set(l.port, [...(byPort.get(l.port) ?? []), `${l.address}:${l.port}`]);
  }
  return [...byPort.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([port, by]) => {
      const first = (port - plan.ports.from) * A;
      const wanted = (i: number) => first + i < plan.clients;
      const everywhere = by.some((b) => b.startsWith('*:'));
      const connections = everywhere
        ? Math.max(0, Math.min(A, plan.clients - first))
        : plan.addresses.filter((a, i) => by.includes(`${a}:${port}`) && wanted(i)).length;
      return { port, by, connections };
    });
}
