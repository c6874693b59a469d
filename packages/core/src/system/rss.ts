import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes, from /proc/PID/status. */
export function rssBytes(pid: number | 'self' = 'self'): number | undefined {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readStatus(pid));
  return m ? Number(m[1]) * 1024 : undefined;
}

function readStatus(pid: number | 'self'): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}
