export { runDoctor, doctorSpecs, reportLines } from './command.js';
export { examine, sysctlFile } from './doctor.js';
export { planOf, ROLE_SPECS } from './plan.js';
export { maskCpus, cpuMask } from './checks/nic.js';
export { clockState } from './checks/clock.js';
export type { Finding, Plan } from './checks/finding.js';
