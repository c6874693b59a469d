export { Welford } from './stats/welford.js';
export { decodeHistogram, loadWasmHistograms, newLatencyHistogram, recordLatencyUs } from './stats/histogram.js';
export { LatencyStats, type LatencyWire } from './stats/latency.js';
export { ClientStats, emptyGauges, sumGauges, type ClientGauges, type ClientStatsWire } from './stats/client-stats.js';
export { PHASES, PhaseStats, TIMED, failedCounter, type Timed } from './stats/phases.js';
