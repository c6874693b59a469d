import type { HostView } from '../system/host-view.js';
import { fmt, sysctlNumber, type Finding, type HostPlan } from './finding.js';

/** File descriptors a Node process needs besides its sockets (stdio, epoll, libuv, IPC, logs). */
export const BASE_FDS = 64;

/** Open-file limits from a /proc/PID/limits text (Node raises its soft limit to the hard one at start). */
export function openFileLimit(limitsText: string | undefined): { soft: number; hard: number } | undefined {
  const m = limitsText && /^Max open files\s+(\S+)\s+(\S+)/m.exec(limitsText);
  if (!m) return undefined;
  const num = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: num(m[1]), hard: num(m[2]) };
}

/** This process's hard open-file limit (undefined where /proc is not there). */
export function openFileHardLimit(host: HostView): number | undefined {
  return openFileLimit(host.read('/proc/self/limits'))?.hard;
}

/** Open files: the kernel's per-process maximum, the system-wide one and the hard limit a process starts with. */
export function fileChecks(host: HostView, plan: HostPlan): Finding[] {
  const need = plan.socketsPerProcess + BASE_FDS;
  const nrOpen = sysctlNumber(host, 'fs.nr_open');
  // The per-process limit first: it is what the pre-flight refuses a plan for.
  const out: Finding[] = hardLimitCheck(host, plan, need, nrOpen);
  if (nrOpen !== undefined) {
    out.push(
      nrOpen >= need
        ? { item: 'fs.nr_open', level: 'ok', detail: `${fmt(nrOpen)} >= ${fmt(need)} files one process needs` }
        : {
            item: 'fs.nr_open',
            level: 'fail',
            detail: `${fmt(nrOpen)} < ${fmt(need)} files one process needs (the kernel's ceiling for ulimit -n)`,
            fix: `sysctl -w fs.nr_open=${need}`,
            sysctl: { 'fs.nr_open': String(need) },
          },
    );
  }
  const fileMax = sysctlNumber(host, 'fs.file-max');
  const total = plan.sockets + BASE_FDS * plan.processes;
  if (fileMax !== undefined) {
    out.push(
      fileMax >= total
        ? { item: 'fs.file-max', level: 'ok', detail: `${fmt(fileMax)} >= ${fmt(total)} files on this host` }
        : {
            item: 'fs.file-max',
            level: 'fail',
            detail: `${fmt(total)} files on this host exceed the system-wide limit fs.file-max=${fmt(fileMax)}`,
            fix: `sysctl -w fs.file-max=${total * 2}`,
            sysctl: { 'fs.file-max': String(total * 2) },
          },
    );
  }
  return out;
}

function hardLimitCheck(host: HostView, plan: HostPlan, need: number, nrOpen: number | undefined): Finding[] {
  const hard = openFileHardLimit(host) ?? openFileLimit(host.read(`/proc/${host.parentPid}/limits`))?.hard;
  if (hard === undefined) return [];
  if (hard >= need)
    return [
      {
        item: 'ulimit -n (hard)',
        level: 'ok',
        detail: `${fmt(hard)} >= ${fmt(need)} per process (${fmt(plan.socketsPerProcess)} sockets in the busiest of ${plan.processes} processes)`,
      },
    ];
  const minProcs = Math.ceil(plan.sockets / Math.max(1, hard - BASE_FDS));
  const nrOpenFix = nrOpen !== undefined && need > nrOpen ? `sysctl -w fs.nr_open=${need} && ` : '';
  return [
    {
      item: 'ulimit -n (hard)',
      level: 'fail',
      detail: `each of ${plan.processes} process(es) would hold ${fmt(plan.socketsPerProcess)} sockets, but the open-file limit is ${fmt(hard)} per process`,
      fix: `use --workers ${minProcs} or more, or raise the limit: ${nrOpenFix}ulimit -n ${need} (as root; or LimitNOFILE=${need} in a systemd unit, nofile in /etc/security/limits.conf)`,
    },
  ];
}

/** A program started from the shell gets the shell's soft limit; Node raises its own to the hard one. */
export function shellLimitCheck(host: HostView, plan: HostPlan): Finding[] {
  const need = plan.socketsPerProcess + BASE_FDS;
  const shell = openFileLimit(host.read(`/proc/${host.parentPid}/limits`));
  if (!shell) return [];
  if (shell.soft >= need) return [{ item: 'ulimit -n (soft)', level: 'ok', detail: `${fmt(shell.soft)}` }];
  const hard = openFileHardLimit(host) ?? shell.hard;
  return [
    {
      item: 'ulimit -n (soft)',
      level: 'warn',
      detail: `this shell's soft limit is ${fmt(shell.soft)}: mdbench's Node processes raise theirs to the hard limit, other tools (and servers) started here do not`,
      fix: `ulimit -n ${Math.min(need, hard)}`,
    },
  ];
}
