export { publisherCommand } from './command.js';
export { publisherSpecs, type PublisherConfig } from './options.js';
export { prefixedSubjects } from './run.js';
export { PayloadPool } from './payload-pool.js';
