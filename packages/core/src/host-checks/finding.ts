import type { HostView } from '../system/host-view.js';
import { formatInt } from '../report/format.js';

/** One item of a host check: what was found against what the plan needs, and the fix. */
export interface Finding {
  item: string;
  level: 'ok' | 'warn' | 'fail';
  /** What was found, against what the plan needs. */
  detail: string;
  /** The command that fixes it (for the reader). */
  fix?: string;
  /** Settings a sysctl.d file can hold (for mdbench-doctor --write-sysctl). */
  sysctl?: Record<string, string>;
}

/** What a run will ask of this host: the plan the tool itself makes, as the host checks read it. */
export interface HostPlan {
  role: 'client' | 'server' | 'publisher';
  /** Sockets this host will hold, and the most any one process will. */
  sockets: number;
  socketsPerProcess: number;
  processes: number;
  /** Local addresses and ports the client binds (none: kernel-chosen). */
  localAddresses: string[];
  localPorts?: { from: number; to: number };
  /** The host the run talks to (for the interface). */
  serverHost: string;
  /** An interface named with --interface. */
  iface?: string;
  /** TLS files the run will read, and the names its certificate must hold (the server's listen address). */
  tls?: { certFile?: string; keyFile?: string; caFile?: string; names: string[] };
}

/** A sysctl's value as text (undefined when the host has no such setting). */
export function sysctl(host: HostView, name: string): string | undefined {
  return host.read(`/proc/sys/${name.replace(/\./g, '/')}`)?.trim();
}

export function sysctlNumbers(host: HostView, name: string): number[] | undefined {
  const t = sysctl(host, name);
  return t === undefined ? undefined : t.split(/\s+/).map(Number);
}

/** A sysctl read as one number (undefined when absent). */
export function sysctlNumber(host: HostView, name: string): number | undefined {
  const t = sysctl(host, name);
  return t === undefined ? undefined : Number(t);
}

export const fmt = formatInt;

/** The TLS files a run's options name, as a host plan holds them (undefined: no TLS file). */
export function tlsFilesOf(options: { tlsCert?: string; tlsKey?: string; tlsCa?: string }, names: string[] = []): HostPlan['tls'] {
  return options.tlsCert || options.tlsKey || options.tlsCa ? { certFile: options.tlsCert, keyFile: options.tlsKey, caFile: options.tlsCa, names } : undefined;
}
