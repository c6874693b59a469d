import type { OptionSpec } from '../config/option-spec.js';

/** Options every mdbench command takes. */
export const commonSpecs: OptionSpec[] = [
  { name: 'duration', flag: 'duration', key: 'Duration', type: 'number', min: 0, default: 0, arg: 'SECONDS', description: 'run this long, then print the final summary and exit (0: until stopped)' },
  { name: 'interval', flag: 'interval', key: 'Interval', type: 'number', min: 0.1, default: 5, arg: 'SECONDS', description: 'report period' },
  { name: 'json', flag: 'json', key: 'JsonLog', type: 'file', arg: 'FILE', description: 'append a JSON-lines record per interval and for the whole run to FILE' },
  { name: 'memory', key: 'Memory', flag: 'memory', type: 'int', min: 16, arg: 'MB', description: 'heap budget in MB for the whole instance, split over its worker processes (the JVM -Xmx of the article)' },
];

/** Common options as typed values. */
export interface CommonConfig {
  duration: number;
  interval: number;
  json?: string;
  memory?: number;
}
