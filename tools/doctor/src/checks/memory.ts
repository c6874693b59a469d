import type { HostView } from '@mdbench/core';
import { fmt, sysctl, sysctlNumbers, type Finding, type Plan } from './finding.js';

/** Kernel memory the article budgeted per socket: tcp_mem's maximum went from 3 GB to 8.7 GB for 1.2 M sockets (about 7.6 KB each). */
export const TCP_BYTES_PER_SOCKET = 8 * 1024;
const PAGE = 4096;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/** TCP memory: the kernel's page budget for every socket's buffers, and what the planned sockets could hold. */
export function memoryChecks(h: HostView, p: Plan): Finding[] {
  const out: Finding[] = [];
  const tcpMem = sysctlNumbers(h, 'net.ipv4.tcp_mem');
  if (tcpMem && tcpMem.length === 3) {
    const needPages = Math.ceil((p.sockets * TCP_BYTES_PER_SOCKET) / PAGE);
    if (tcpMem[2] >= needPages) out.push({ item: 'net.ipv4.tcp_mem', level: 'ok', detail: `max ${fmt(tcpMem[2])} pages (${gib(tcpMem[2] * PAGE)}) >= ${fmt(needPages)} for ${fmt(p.sockets)} sockets at ${TCP_BYTES_PER_SOCKET / 1024} KiB each` });
    else {
      const max = needPages;
      const value = `${Math.round(max / 6)} ${Math.round(max / 4.5)} ${max}`;
      out.push({
        item: 'net.ipv4.tcp_mem',
        level: 'warn',
        detail: `max ${fmt(tcpMem[2])} pages (${gib(tcpMem[2] * PAGE)}) < ${fmt(needPages)} for ${fmt(p.sockets)} sockets: when the budget runs out the host stops accepting new TCP connections while the tools stay up (the article's "difficult to debug" stall)`,
        fix: `sysctl -w net.ipv4.tcp_mem="${value}"`,
        sysctl: { 'net.ipv4.tcp_mem': value },
      });
    }
  }
  for (const name of ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] as const) {
    const v = sysctlNumbers(h, name);
    if (!v || v.length !== 3) continue;
    // A socket starts at the default (middle) size; sockets that fill their buffers hold up to it each.
    const worst = p.sockets * v[1];
    if (worst <= h.memoryBytes / 4) out.push({ item: name, level: 'ok', detail: `${v.join(' ')}: ${fmt(p.sockets)} sockets at the default ${fmt(v[1])} bytes could hold ${gib(worst)} of ${gib(h.memoryBytes)}` });
    else {
      const value = '1024 4096 16384';
      out.push({ item: name, level: 'warn', detail: `${v.join(' ')}: ${fmt(p.sockets)} sockets at the default ${fmt(v[1])} bytes could hold ${gib(worst)} of ${gib(h.memoryBytes)} if their buffers fill; the article used ${value}`, fix: `sysctl -w ${name}="${value}"`, sysctl: { [name]: value } });
    }
  }
  for (const name of ['net.core.rmem_max', 'net.core.wmem_max'] as const) {
    const v = sysctl(h, name);
    if (v !== undefined) out.push({ item: name, level: 'ok', detail: `${fmt(Number(v))} bytes (mdbench sets no SO_RCVBUF/SO_SNDBUF: the tcp_rmem/tcp_wmem defaults apply)` });
  }
  const moderate = sysctl(h, 'net.ipv4.tcp_moderate_rcvbuf');
  if (moderate === '1' && p.sockets > 100_000) {
    out.push({ item: 'net.ipv4.tcp_moderate_rcvbuf', level: 'warn', detail: '1: busy sockets grow their receive buffers towards tcp_rmem\'s maximum; the article turned it off', fix: 'sysctl -w net.ipv4.tcp_moderate_rcvbuf=0', sysctl: { 'net.ipv4.tcp_moderate_rcvbuf': '0' } });
  }
  return out;
}
