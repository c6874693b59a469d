import { defineOptions } from '../config/option-spec.js';

/** --thresholds: the verdict of a run, shared by the client, the publisher and mdbench-report. */
export const thresholdSpecs = defineOptions([
  { name: 'thresholds', key: 'Thresholds', flag: 'thresholds', type: 'string', arg: 'LIST', group: 'thresholds', description: 'what the run must meet, comma-separated METRIC OP VALUE (p99<50ms,loss=0,errors=0,connect.p99<2s...; the metrics each tool judges are in README.md): each verdict with its measured value in the summary and the JSON summary; one crossed: exit 99' },
]);
