import { readFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';

/** Reads a file, or undefined when it cannot be read (not Linux, no permission). */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The process's open-file limits from /proc/self/limits (Node raises the soft limit to the hard one at start). */
export function openFileLimit(limitsText = readText('/proc/self/limits')): { soft: number; hard: number } | undefined {
  const m = limitsText && /^Max open files\s+(\S+)\s+(\S+)/m.exec(limitsText);
  if (!m) return undefined;
  const num = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: num(m[1]), hard: num(m[2]) };
}

/** A sysctl value from /proc/sys (`net.core.somaxconn` -> /proc/sys/net/core/somaxconn), as text. */
export function sysctl(name: string): string | undefined {
  return readText(`/proc/sys/${name.replace(/\./g, '/')}`)?.trim();
}

export function sysctlNumbers(name: string): number[] | undefined {
  const text = sysctl(name);
  return text === undefined ? undefined : text.split(/\s+/).map(Number);
}

/** Whether `address` belongs to this host: any of 127.0.0.0/8 and ::1, or an interface address. */
export function isLocalAddress(address: string): boolean {
  if (net.isIPv4(address) && address.startsWith('127.')) return true;
  if (address === '::1') return true;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.address === address) return true;
  }
  return false;
}

/** Resident set size of a process in bytes, from /proc/PID/status. */
export function rssBytes(pid: number | 'self' = 'self'): number | undefined {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readText(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) * 1024 : undefined;
}
