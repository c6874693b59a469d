import { defineOptions } from '../config/option-spec.js';

/** --thresholds: the verdict of a run, shared by the client, the publisher and mdbench-report. */
export const thresholdSpecs = defineOptions([
  {
    name: 'thresholds',
    key: 'Thresholds',
    flag: 'thresholds',
    type: 'string',
    arg: 'LIST',
    group: 'thresholds',
    description:
      'what the run must meet, comma-separated METRIC OP VALUE (p99<50ms,loss=0,errors=0,connect.p99<2s...; the metrics each tool judges are in README.md): each verdict with its measured value in the summary and the JSON summary; one crossed: exit 99',
  },
]);

/** --thresholds and --abort-on-fail: the client's and the publisher's, judged while the run goes on. */
export const runThresholdSpecs = defineOptions([
  ...thresholdSpecs,
  {
    name: 'abortOnFail',
    key: 'AbortOnFail',
    flag: 'abort-on-fail',
    type: 'number',
    min: 0,
    arg: 'SECONDS',
    group: 'thresholds',
    description:
      'judge the thresholds on the run so far at every interval and stop the run (summary written, exit 99) once one has been crossed this long without a break (0: at once); unset: judged at the end only',
  },
]);
