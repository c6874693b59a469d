export { clientCommand } from './command.js';
export { clientSpecs, type ClientConfig } from './options.js';
export { buildClientPlan, chooseClientWorkers, clientHostPlan } from './plan.js';
