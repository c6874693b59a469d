import { defineOptions } from '../config/option-spec.js';

/** Options every mdbench command that runs takes. */
export const commonSpecs = defineOptions([
  {
    name: 'duration',
    flag: 'duration',
    key: 'Duration',
    type: 'number',
    min: 0,
    default: 0,
    arg: 'SECONDS',
    group: 'run',
    description: 'run this long, then print the final summary and exit (0: until stopped)',
  },
  { name: 'interval', flag: 'interval', key: 'Interval', type: 'number', min: 0.1, default: 5, arg: 'SECONDS', group: 'run', description: 'report period' },
  {
    name: 'json',
    flag: 'json',
    key: 'JsonLog',
    type: 'file',
    arg: 'FILE',
    group: 'output',
    description: 'append a JSON-lines record per interval and for the whole run to FILE (docs/json-lines.md)',
  },
  {
    name: 'iface',
    key: 'Interface',
    flag: 'interface',
    type: 'string',
    arg: 'NAME',
    group: 'output',
    description:
      'network interface whose traffic (bytes and packets per second, from /proc/net/dev) each report shows (default: the one that reaches the server; lo on loopback)',
  },
  {
    name: 'memory',
    key: 'Memory',
    flag: 'memory',
    type: 'int',
    min: 16,
    arg: 'MB',
    group: 'run',
    description: 'heap budget in MB for the whole instance, split over its worker processes (the JVM -Xmx of the article)',
  },
]);
