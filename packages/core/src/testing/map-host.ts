import type { HostView } from '../system/host-view.js';

/** A host held in memory: files by path (`/proc/sys/fs/nr_open`), command outputs by name, addresses. */
export function mapHost(files: Record<string, string>, more: Partial<Omit<HostView, 'read'>> & { commands?: Record<string, string> } = {}): HostView {
  return {
    read: (file) => files[file],
    list: (dir) =>
      Object.keys(files)
        .filter((f) => f.startsWith(`${dir}/`))
        .map((f) => f.slice(dir.length + 1).split('/')[0]),
    run: (command) => more.commands?.[command],
    addresses: more.addresses ?? (() => ['127.0.0.1']),
    memoryBytes: more.memoryBytes ?? 24 * 2 ** 30,
    cpus: more.cpus ?? 2,
    parentPid: more.parentPid ?? 1,
  };
}

/** A /proc/PID/limits text with the given open-file limits. */
export function limitsText(soft: number, hard: number): string {
  return `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                ${hard}                files\n`;
}
