import type { HostView } from '@mdbench/core';
import { addressChecks } from './checks/addresses.js';
import { clockChecks } from './checks/clock.js';
import { fileChecks } from './checks/files.js';
import type { Finding, Plan } from './checks/finding.js';
import { memoryChecks } from './checks/memory.js';
import { nicChecks } from './checks/nic.js';
import { portChecks } from './checks/ports.js';
import { listenerChecks } from './checks/listeners.js';
import { queueChecks } from './checks/queues.js';
import { tlsChecks } from './checks/tls.js';

/** Every check of a host against a plan, in the order a reader fixes them. */
export function examine(h: HostView, p: Plan, nowMs = Date.now()): Finding[] {
  return [...fileChecks(h, p), ...portChecks(h, p), ...listenerChecks(h, p), ...addressChecks(h, p), ...memoryChecks(h, p), ...queueChecks(h, p), ...nicChecks(h, p), ...clockChecks(h), ...tlsChecks(p, nowMs)];
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
