import { BASE_FDS, openFileLimit, type HostView } from '@mdbench/core';
import { fmt, sysctl, type Finding, type Plan } from './finding.js';

/** Open files: the kernel's per-process maximum, the system-wide one, and the soft and hard limits a process starts with. */
export function fileChecks(h: HostView, p: Plan): Finding[] {
  const out: Finding[] = [];
  const need = p.socketsPerProcess + BASE_FDS;
  const nrOpen = Number(sysctl(h, 'fs.nr_open') ?? NaN);
  if (Number.isFinite(nrOpen)) {
    out.push(
      nrOpen >= need
        ? { item: 'fs.nr_open', level: 'ok', detail: `${fmt(nrOpen)} >= ${fmt(need)} files one process needs` }
        : { item: 'fs.nr_open', level: 'fail', detail: `${fmt(nrOpen)} < ${fmt(need)} files one process needs (the kernel's ceiling for ulimit -n)`, fix: `sysctl -w fs.nr_open=${need}`, sysctl: { 'fs.nr_open': String(need) } },
    );
  }
  const fileMax = Number(sysctl(h, 'fs.file-max') ?? NaN);
  const total = p.sockets + BASE_FDS * p.processes;
  if (Number.isFinite(fileMax)) {
    out.push(
      fileMax >= total
        ? { item: 'fs.file-max', level: 'ok', detail: `${fmt(fileMax)} >= ${fmt(total)} files on this host` }
        : { item: 'fs.file-max', level: 'fail', detail: `${fmt(fileMax)} < ${fmt(total)} files on this host`, fix: `sysctl -w fs.file-max=${total * 2}`, sysctl: { 'fs.file-max': String(total * 2) } },
    );
  }
  // A program started from the shell gets the shell's soft limit; Node raises its own to the hard one.
  const shell = openFileLimit(h.read(`/proc/${h.parentPid}/limits`));
  const self = openFileLimit(h.read('/proc/self/limits'));
  const hard = self?.hard ?? shell?.hard;
  if (hard !== undefined) {
    out.push(
      hard >= need
        ? { item: 'ulimit -n (hard)', level: 'ok', detail: `${fmt(hard)} >= ${fmt(need)} per process (${fmt(p.socketsPerProcess)} sockets in the busiest of ${p.processes} processes)` }
        : { item: 'ulimit -n (hard)', level: 'fail', detail: `${fmt(hard)} < ${fmt(need)} per process: use more worker processes (--workers) or raise the limit`, fix: `ulimit -Hn ${need} (as root; or LimitNOFILE=${need} in a systemd unit, nofile in /etc/security/limits.conf)` },
    );
  }
  if (shell && shell.soft < need) {
    out.push({ item: 'ulimit -n (soft)', level: 'warn', detail: `this shell's soft limit is ${fmt(shell.soft)}: mdbench's Node processes raise theirs to the hard limit, other tools (and servers) started here do not`, fix: `ulimit -n ${Math.min(need, hard ?? need)}` });
  } else if (shell) out.push({ item: 'ulimit -n (soft)', level: 'ok', detail: `${fmt(shell.soft)}` });
  return out;
}
