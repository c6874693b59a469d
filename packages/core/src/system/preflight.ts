import { isLocalAddress, openFileLimit, sysctl, sysctlNumbers } from './limits.js';
import type { PortRange } from '../config/option-spec.js';
import { formatInt } from '../report/format.js';

/** One finding of a pre-flight check: what is wrong and the command that fixes it. */
export interface Finding {
  level: 'error' | 'warn';
  message: string;
  fix?: string;
}

/** File descriptors a Node process needs besides its sockets (stdio, epoll, libuv, IPC, logs). */
export const BASE_FDS = 64;

/** Facts about the host, read from /proc unless given (tests pass their own). */
export interface HostFacts {
  nofile?: { soft: number; hard: number };
  nrOpen?: number;
  fileMax?: number;
  ephemeralPorts?: PortRange;
  somaxconn?: number;
  isLocal?: (address: string) => boolean;
}

export function readHostFacts(): HostFacts {
  const range = sysctlNumbers('net.ipv4.ip_local_port_range');
  const num = (name: string) => {
    const t = sysctl(name);
    return t === undefined ? undefined : Number(t);
  };
  return {
    nofile: openFileLimit(),
    nrOpen: num('fs.nr_open'),
    fileMax: num('fs.file-max'),
    ephemeralPorts: range && range.length === 2 ? { from: range[0], to: range[1] } : undefined,
    somaxconn: num('net.core.somaxconn'),
    isLocal: isLocalAddress,
  };
}

export interface SocketPlanCheck {
  /** Sockets the busiest process will hold. */
  socketsPerProcess: number;
  /** Sockets all processes of this tool on this host will hold. */
  socketsTotal: number;
  /** Processes the sockets are spread over, and the flag that sets it. */
  processes: number;
  processFlag: string;
  /** Local addresses the plan binds (none: kernel-chosen). */
  localAddresses?: readonly string[];
  localPorts?: PortRange;
}

/** Checks that a plan of sockets fits this host's limits; every finding carries the fixing command. */
export function checkSocketPlan(plan: SocketPlanCheck, facts: HostFacts): Finding[] {
  const out: Finding[] = [];
  const need = plan.socketsPerProcess + BASE_FDS;
  if (facts.nofile && need > facts.nofile.hard) {
    const minProcs = Math.ceil(plan.socketsTotal / Math.max(1, facts.nofile.hard - BASE_FDS));
    const nrOpenFix = facts.nrOpen !== undefined && need > facts.nrOpen ? `sysctl -w fs.nr_open=${need} && ` : '';
    out.push({
      level: 'error',
      message:
        `each of ${plan.processes} process(es) would hold ${formatInt(plan.socketsPerProcess)} sockets, ` +
        `but the open-file limit is ${formatInt(facts.nofile.hard)} per process`,
      fix: `use ${plan.processFlag} ${minProcs} or more, or raise the limit: ${nrOpenFix}ulimit -n ${need}`,
    });
  }
  if (facts.fileMax !== undefined && plan.socketsTotal + BASE_FDS * plan.processes > facts.fileMax) {
    out.push({
      level: 'error',
      message: `${formatInt(plan.socketsTotal)} sockets exceed the system-wide file limit fs.file-max=${formatInt(facts.fileMax)}`,
      fix: `sysctl -w fs.file-max=${plan.socketsTotal * 2}`,
    });
  }
  const isLocal = facts.isLocal ?? (() => true);
  const missing = (plan.localAddresses ?? []).filter((a) => !isLocal(a));
  if (missing.length > 0) {
    const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
    out.push({
      level: 'error',
      message: `local address(es) ${shown} do not exist on this host`,
      fix: `ip addr add ${missing[0]}/32 dev lo   (or on the interface that reaches the server), once per address`,
    });
  }
  const eph = facts.ephemeralPorts;
  const ports = plan.localPorts;
  if (eph && ports && plan.localAddresses && plan.localAddresses.length > 0 && ports.from <= eph.to && ports.to >= eph.from) {
    out.push({
      level: 'warn',
      message:
        `local ports ${ports.from}-${ports.to} overlap the kernel's ephemeral range ${eph.from}-${eph.to}: ` +
        'other programs\' outgoing connections may take ports this plan needs (counted as EADDRINUSE)',
      fix: `sysctl -w net.ipv4.ip_local_port_range="${Math.min(ports.to + 1, 65535)} 65535" (or move LocalPorts below ${eph.from})`,
    });
  }
  return out;
}

/** Checks a listening server's accept backlog. */
export function checkListenBacklog(backlog: number, facts: HostFacts): Finding[] {
  if (facts.somaxconn !== undefined && facts.somaxconn < backlog) {
    return [
      {
        level: 'warn',
        message: `net.core.somaxconn=${facts.somaxconn} caps the accept backlog below ${backlog}; fast connection ramps may see refused or retried SYNs`,
        fix: `sysctl -w net.core.somaxconn=${backlog}`,
      },
    ];
  }
  return [];
}
