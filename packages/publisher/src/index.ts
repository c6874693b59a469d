export { publisherCommand } from './command.js';
export { publisherSpecs, type PublisherConfig } from './options.js';
export { prefixedSubjects, buildPublisherPlan, publisherHostPlan } from './plan.js';
export { PayloadPool } from './payload-pool.js';
export { BatchEncoder } from './batch-encoder.js';
