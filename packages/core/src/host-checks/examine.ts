import type { HostView } from '../system/host-view.js';
import { addressChecks } from './addresses.js';
import { clockChecks } from './clock.js';
import { fileChecks, shellLimitCheck } from './files.js';
import type { Finding, HostPlan } from './finding.js';
import { listenerChecks } from './listeners.js';
import { memoryChecks } from './memory.js';
import { nicChecks } from './nic.js';
import { portRangeChecks, timeWaitChecks } from './ports.js';
import { backlogChecks, queueChecks } from './queues.js';
import { tlsChecks } from './tls.js';

/** One check of the host against a plan; `preflight` ones also run at every tool's start. */
interface HostCheck {
  run(h: HostView, p: HostPlan, nowMs: number): Finding[];
  preflight: boolean;
}

/** Every check, in the order a reader fixes them. A rule lives in its check's file and nowhere else. */
const CHECKS: readonly HostCheck[] = [
  { run: fileChecks, preflight: true },
  { run: shellLimitCheck, preflight: false },
  { run: portRangeChecks, preflight: true },
  { run: timeWaitChecks, preflight: false },
  { run: listenerChecks, preflight: false },
  { run: addressChecks, preflight: true },
  { run: memoryChecks, preflight: false },
  { run: backlogChecks, preflight: true },
  { run: queueChecks, preflight: false },
  { run: nicChecks, preflight: false },
  { run: (h) => clockChecks(h), preflight: false },
  { run: (_h, p, nowMs) => tlsChecks(p, nowMs), preflight: false },
];

/** Every check of a host against a plan (mdbench-doctor prints them all). */
export function examine(host: HostView, plan: HostPlan, nowMs: number): Finding[] {
  return CHECKS.flatMap((c) => c.run(host, plan, nowMs));
}

/** The checks a tool runs before it opens a socket: what would make the planned run fail or mislead. */
export function preflightFindings(host: HostView, plan: HostPlan): Finding[] {
  return CHECKS.filter((c) => c.preflight)
    .flatMap((c) => c.run(host, plan, 0))
    .filter((f) => f.level !== 'ok');
}

/** A sysctl.d file with every setting the findings ask for (nothing for the others). */
export function sysctlFile(findings: Finding[], note: string): string {
  const lines = [`# Written by mdbench-doctor: ${note}`, '# Apply with: sysctl --system (or sysctl -p THIS_FILE)', ''];
  for (const f of findings) {
    if (!f.sysctl || f.level === 'ok') continue;
    lines.push(`# ${f.item}: ${f.detail}`);
    for (const [k, v] of Object.entries(f.sysctl)) lines.push(`${k} = ${v}`);
  }
  return `${lines.join('\n')}\n`;
}
