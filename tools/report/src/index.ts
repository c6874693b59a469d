export { reportCommand } from './command.js';
export { readLogs } from './read-logs.js';
export { clientInstances, mergeSummaries } from './merge.js';
