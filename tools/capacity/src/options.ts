import { compressionClientSpecs, defineOptions, tlsClientSpecs, type OptionSpec } from '@mdbench/core';
import { clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';

const byName = (specs: readonly OptionSpec[], names: string[]) => names.map((n) => specs.find((s) => s.name === n) as OptionSpec);

/** How the client and the publisher reach the server (wss:// and compression), passed to both as they are. */
export const CONNECTION_PASS = [...tlsClientSpecs, ...compressionClientSpecs].map((s) => s.name);
/** How both speak to the server: the protocol and its login, passed to both as they are. */
export const PROTOCOL_PASS = ['token', 'protocol', 'qos', 'mqttVersion', 'clientIdPrefix', 'user', 'password', 'keepalive', 'destination'];
/** Options passed through to the client the search keeps running (rows of the client's own table). */
export const CLIENT_PASS = [
  'serverAddresses',
  'clients',
  'subjects',
  'subjectsPerClient',
  'oneToOne',
  'seed',
  'localAddresses',
  'localPorts',
  'connectRate',
  'workers',
  'mask',
  ...PROTOCOL_PASS,
  'latencyFrom',
  ...CONNECTION_PASS,
];
/** Options passed through to each step's publisher (rows of the publisher's own table). */
export const PUBLISHER_PASS = ['messageSize', 'connections', 'publisherType', 'window', 'pacing'];

/** mdbench-capacity's options: the client's and publisher's rows it passes on, and the search's own. */
export const capacitySpecs = defineOptions([
  ...byName(clientSpecs, CLIENT_PASS),
  ...byName(publisherSpecs, PUBLISHER_PASS),
  {
    name: 'vary',
    key: 'Vary',
    flag: 'vary',
    type: 'enum',
    choices: ['rate', 'connections'],
    default: 'rate',
    group: 'search',
    description: 'what the search steps: the publish rate (with Clients connections), or the connection count (at --frequency)',
  },
  {
    name: 'steps',
    key: 'Steps',
    flag: 'steps',
    type: 'string',
    arg: 'LIST',
    group: 'search',
    description: 'the values to try, comma-separated (else --start, --factor, --max)',
  },
  {
    name: 'start',
    key: 'Start',
    flag: 'start',
    type: 'number',
    min: 1,
    default: 1000,
    arg: 'N',
    group: 'search',
    description: 'first value (messages/s, or connections)',
  },
  {
    name: 'factor',
    key: 'Factor',
    flag: 'factor',
    type: 'number',
    min: 1.01,
    default: 2,
    arg: 'X',
    group: 'search',
    description: 'each next value is this times the last',
  },
  { name: 'max', key: 'Max', flag: 'max', type: 'number', min: 1, default: 1_000_000, arg: 'N', group: 'search', description: 'largest value tried' },
  {
    name: 'refine',
    key: 'Refine',
    flag: 'refine',
    type: 'int',
    min: 0,
    max: 20,
    default: 3,
    arg: 'N',
    group: 'search',
    description: 'bisections between the last value that held and the first that broke',
  },
  {
    name: 'frequency',
    key: 'Frequency',
    flag: 'frequency',
    short: 'f',
    type: 'number',
    min: 0.001,
    default: 1000,
    arg: 'PER_SEC',
    group: 'search',
    description: 'publish rate of every step when --vary connections',
  },
  {
    name: 'objectives',
    key: 'Objectives',
    flag: 'objectives',
    type: 'string',
    default: 'p99<50ms,loss=0,rate>=99%,loop<20ms',
    arg: 'LIST',
    group: 'search',
    description:
      'what a step must meet, comma-separated: p50|p99|p999|mean|max|lag|loop < or <= TIME; loss=0; rate>=PERCENT (loop: the client saturating; lag: the publisher falling behind)',
  },
  {
    name: 'stepSeconds',
    key: 'StepSeconds',
    flag: 'step-seconds',
    type: 'number',
    min: 2,
    default: 10,
    arg: 'SECONDS',
    group: 'search',
    description: 'how long each step publishes',
  },
  {
    name: 'warmupSeconds',
    key: 'WarmupSeconds',
    flag: 'warmup-seconds',
    type: 'number',
    min: 0,
    default: 2,
    arg: 'SECONDS',
    group: 'search',
    description: "latencies of each step's first seconds are left out",
  },
  {
    name: 'drainSeconds',
    key: 'DrainSeconds',
    flag: 'drain-seconds',
    type: 'number',
    min: 0,
    default: 2,
    arg: 'SECONDS',
    group: 'search',
    description: "how long after a step's last message its messages may still arrive",
  },
  { name: 'json', key: 'JsonLog', flag: 'json', type: 'file', arg: 'FILE', group: 'output', description: 'write one JSON record per step and the result' },
]);
