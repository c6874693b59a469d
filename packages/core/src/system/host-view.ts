import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * What a host check reads: files under /proc and /sys, a few commands (chronyc, timedatectl, ntpq),
 * the local addresses and the memory. The real host, or a tree in a folder (tests show cases this
 * machine cannot: a NIC with queues, conntrack loaded, a clock daemon).
 */
export interface HostView {
  /** A file's text, or undefined when it cannot be read. */
  read(file: string): string | undefined;
  /** A folder's entries, or [] when it cannot be read. */
  list(dir: string): string[];
  /** A command's standard output, or undefined when it is not there or fails. */
  run(command: string, args: string[]): string | undefined;
  /** Every address of this host's interfaces. */
  addresses(): string[];
  memoryBytes: number;
  cpus: number;
  /** The pid whose limits are the shell's (the parent of this process). */
  parentPid: number;
}

/** The machine this process runs on. */
export function realHost(): HostView {
  return {
    read(file) {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    list(dir) {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
    run(command, args) {
      const r = spawnSync(command, args, { encoding: 'utf8', timeout: 3000 });
      return r.status === 0 ? r.stdout : undefined;
    },
    addresses() {
      return Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address));
    },
    memoryBytes: os.totalmem(),
    cpus: os.availableParallelism(),
    parentPid: process.ppid,
  };
}

/**
 * A host described by a folder: `proc/...` and `sys/...` files as on a real host, `commands/NAME`
 * the output of a command (absent: not installed), `addresses` one address per line, `memory` bytes
 * and `cpus` a number.
 */
export function treeHost(root: string): HostView {
  const at = (p: string) => path.join(root, p);
  const real = realHost();
  const num = (file: string, dflt: number) => Number(real.read(at(file))?.trim() ?? dflt);
  return {
    read: (file) => real.read(at(file)),
    list: (dir) => real.list(at(dir)),
    run: (command) => real.read(at(`commands/${path.basename(command)}`)),
    addresses: () =>
      (real.read(at('addresses')) ?? '')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    memoryBytes: num('memory', 24 * 2 ** 30),
    cpus: num('cpus', 2),
    parentPid: Number(real.read(at('parent-pid'))?.trim() ?? 1),
  };
}
