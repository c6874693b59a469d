// `@mdbench/core/stats`: latency statistics (Welford, HdrHistogram in WebAssembly) and the client's
// mergeable statistics, for worker processes that record latency (see ./worker.ts).
export * from './stats/welford.js';
export * from './stats/histogram.js';
export * from './stats/latency.js';
export * from './stats/client-stats.js';
export * from './stats/phases.js';
