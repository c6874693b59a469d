export { runDoctor, doctorSpecs, reportLines } from './command.js';
export { planOf, ROLE_SPECS } from './plan.js';
