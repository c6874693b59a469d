import { readFileSync } from 'node:fs';

/** How a process stands: stopped by a signal (SIGSTOP, a debugger) and the CPU time it has used. */
export interface ProcessProgress {
  stopped: boolean;
  cpuMs: number;
}

/** /proc reports CPU time in USER_HZ ticks, 100 a second on every Linux architecture Node runs on. */
const MS_PER_TICK = 10;

/** A process's state and CPU time (user + system) from the text of /proc/PID/stat; undefined if it is not one. */
export function parseProcStat(text: string): ProcessProgress | undefined {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: fields follow the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (fields.length < 13 || !Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { stopped: fields[0] === 'T' || fields[0] === 't', cpuMs: (utime + stime) * MS_PER_TICK };
}

/** The state and CPU time of process `pid` (undefined where /proc does not say: another system, or it is gone). */
export function processProgress(pid: number): ProcessProgress | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
