export { publisherCommand } from './command.js';
export { publisherSpecs, type PublisherConfig } from './options.js';
export { publisherHostPlan } from './plan.js';
