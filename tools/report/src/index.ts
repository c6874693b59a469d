export { reportCommand, aggregateBlock } from './command.js';
export { readLogs, expandInputs, type LogRecord } from './read-logs.js';
export { clientInstances, mergeSummaries, mergeIntervals, MergedClient } from './merge.js';
export { instanceRows, instanceTableText } from './instance-table.js';
export { renderHtml, chartData } from './html.js';
