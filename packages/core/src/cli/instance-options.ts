import { defineOptions } from '../config/option-spec.js';

/** Sharding a fleet the way the article did by hand: one flag pair instead of N edited files. */
export const instanceSpecs = defineOptions([
  {
    name: 'instance',
    key: 'Instance',
    flag: 'instance',
    type: 'int',
    min: 1,
    arg: 'K',
    group: 'fleet',
    description: 'this is instance K (1-based) of --instances; default: the Kubernetes Indexed Job completion index + 1, else 1',
  },
  {
    name: 'instances',
    key: 'Instances',
    flag: 'instances',
    type: 'int',
    min: 1,
    default: 1,
    arg: 'N',
    group: 'fleet',
    description: "instances in the fleet; each takes its share of the subjects (and, for clients, of the fleet's connection numbering)",
  },
  {
    name: 'hlog',
    key: 'HistogramLog',
    flag: 'hlog',
    type: 'file',
    arg: 'FILE',
    group: 'output',
    description: "write latencies per interval in HdrHistogram's interval log format (.hlog)",
  },
]);
