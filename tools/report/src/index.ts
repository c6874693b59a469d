export { reportCommand, aggregateBlock } from './command.js';
export { readLogs, expandInputs, checkRecord, type LogRecord } from './read-logs.js';
export { clientInstances, mergeSummaries, mergeIntervals, FleetStats } from './merge.js';
export { instanceRows, instanceTableText } from './instance-table.js';
export { renderHtml, chartData } from './html.js';
