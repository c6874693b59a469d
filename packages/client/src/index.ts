export { clientCommand } from './command.js';
export { clientSpecs, type ClientConfig } from './options.js';
export { buildClientPlan, chooseClientWorkers } from './client-plan.js';
export { RunStats } from './run-stats.js';
export { SubscriberConnection } from './subscriber-connection.js';
export { WorkerPool } from './worker-pool.js';
