import type { HostView } from '../system/host-view.js';
import { fmt, sysctl, sysctlNumbers, type Finding, type HostPlan } from './finding.js';

/** Kernel memory the article budgeted per socket: tcp_mem's maximum went from 3 GB to 8.7 GB for 1.2 M sockets (about 7.6 KB each). */
const TCP_BYTES_PER_SOCKET = 8 * 1024;
const PAGE = 4096;
/**
 * The smallest minimum each sysctl accepts: Linux 6.x refuses a tcp_rmem minimum under one page
 * (`Invalid argument`), while tcp_wmem takes the article's 1024.
 */
const MIN_BYTES = { 'net.ipv4.tcp_rmem': 4096, 'net.ipv4.tcp_wmem': 1024 } as const;

/** The buffer maximum kept for busy sockets: Linux's own tcp_wmem default maximum. */
const BUSY_SOCKET_MAX = 4 * 1024 * 1024;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/** TCP memory: the kernel's page budget for every socket's buffers, and what the planned sockets could hold. */
export function memoryChecks(host: HostView, plan: HostPlan): Finding[] {
  return [...tcpMemCheck(host, plan), ...bufferChecks(host, plan)];
}

/** The kernel's page budget for every TCP socket's buffers against the planned sockets. */
function tcpMemCheck(host: HostView, plan: HostPlan): Finding[] {
  const out: Finding[] = [];
  const tcpMem = sysctlNumbers(host, 'net.ipv4.tcp_mem');
  if (tcpMem && tcpMem.length === 3) {
    const needPages = Math.ceil((plan.sockets * TCP_BYTES_PER_SOCKET) / PAGE);
    if (tcpMem[2] >= needPages)
      out.push({
        item: 'net.ipv4.tcp_mem',
        level: 'ok',
        detail: `max ${fmt(tcpMem[2])} pages (${gib(tcpMem[2] * PAGE)}) >= ${fmt(needPages)} for ${fmt(plan.sockets)} sockets at ${TCP_BYTES_PER_SOCKET / 1024} KiB each`,
      });
    else {
      const max = needPages;
      const value = `${Math.round(max / 6)} ${Math.round(max / 4.5)} ${max}`;
      out.push({
        item: 'net.ipv4.tcp_mem',
        level: 'warn',
        detail: `max ${fmt(tcpMem[2])} pages (${gib(tcpMem[2] * PAGE)}) < ${fmt(needPages)} for ${fmt(plan.sockets)} sockets: when the budget runs out the host stops accepting new TCP connections while the tools stay up (the article's "difficult to debug" stall)`,
        fix: `sysctl -w net.ipv4.tcp_mem="${value}"`,
        sysctl: { 'net.ipv4.tcp_mem': value },
      });
    }
  }
  return out;
}

/** Socket buffer sizes (default and maximum), their caps and receive-buffer autotuning. */
function bufferChecks(host: HostView, plan: HostPlan): Finding[] {
  const out: Finding[] = [];
  for (const name of ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] as const) {
    const v = sysctlNumbers(host, name);
    if (v?.length !== 3) continue;
    // A socket starts at the default (middle) size; sockets that fill their buffers hold up to it each.
    const worst = plan.sockets * v[1];
    if (worst > host.memoryBytes / 4) {
      // The article's "1024 4096 16384" also caps the few busy sockets (a publisher's link, the
      // server's inbound side): measured here, it cut one-to-one 50,000 msg/s to 41,600 delivered
      // with p99 2.5 s, against 50,000 and p99 8 ms with the same small default and a large maximum
      // (docs/benchmarks.md). So: a small default, the maximum kept large.
      const value = `${Math.max(v[0], MIN_BYTES[name])} 4096 ${Math.max(v[2], BUSY_SOCKET_MAX)}`;
      out.push({
        item: name,
        level: 'warn',
        detail: `${v.join(' ')}: ${fmt(plan.sockets)} sockets at the default ${fmt(v[1])} bytes could hold ${gib(worst)} of ${gib(host.memoryBytes)} if their buffers fill; a small default (the article's 4096) bounds that, a large maximum keeps busy links fast`,
        fix: `sysctl -w ${name}="${value}"`,
        sysctl: { [name]: value },
      });
    } else if (v[2] < BUSY_SOCKET_MAX && plan.role !== 'client') {
      const value = `${Math.max(v[0], MIN_BYTES[name])} ${v[1]} ${BUSY_SOCKET_MAX}`;
      out.push({
        item: name,
        level: 'warn',
        detail: `${v.join(' ')}: a maximum of ${fmt(v[2])} bytes caps the busy sockets of a ${plan.role} (publisher links carry thousands of messages a second): the article's 16384 cut one-to-one 50,000 msg/s to 41,600 here`,
        fix: `sysctl -w ${name}="${value}"`,
        sysctl: { [name]: value },
      });
    } else
      out.push({
        item: name,
        level: 'ok',
        detail: `${v.join(' ')}: ${fmt(plan.sockets)} sockets at the default ${fmt(v[1])} bytes could hold ${gib(worst)} of ${gib(host.memoryBytes)}`,
      });
  }
  for (const name of ['net.core.rmem_max', 'net.core.wmem_max'] as const) {
    const v = sysctl(host, name);
    if (v !== undefined)
      out.push({ item: name, level: 'ok', detail: `${fmt(Number(v))} bytes (mdbench sets no SO_RCVBUF/SO_SNDBUF: the tcp_rmem/tcp_wmem defaults apply)` });
  }
  // Receive-buffer autotuning grows only the sockets that are busy; idle subscribers stay at the
  // default. Off (the article's setting), the server's side of a publisher's link stays at the
  // default too, and moves at most that much per read.
  const moderate = sysctl(host, 'net.ipv4.tcp_moderate_rcvbuf');
  if (moderate === '0' && plan.role !== 'client') {
    out.push({
      item: 'net.ipv4.tcp_moderate_rcvbuf',
      level: 'warn',
      detail: `0: every receive buffer stays at tcp_rmem's default, the ${plan.role}'s busy links included (the article turned it off on its client boxes)`,
      fix: 'sysctl -w net.ipv4.tcp_moderate_rcvbuf=1',
      sysctl: { 'net.ipv4.tcp_moderate_rcvbuf': '1' },
    });
  } else if (moderate !== undefined) {
    out.push({
      item: 'net.ipv4.tcp_moderate_rcvbuf',
      level: 'ok',
      detail:
        moderate === '1'
          ? "1: busy sockets grow their receive buffers up to tcp_rmem's maximum, idle ones stay at its default"
          : "0: receive buffers stay at tcp_rmem's default (the article's client boxes)",
    });
  }
  return out;
}
