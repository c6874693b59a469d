import { commonSpecs, instanceSpecs, reconnectSpecs, type CommonConfig, type InstanceConfig, type OptionSpec, type PortRange, type ReconnectConfig } from '@mdbench/core';

/** mdbench-client's options: the article's client keys plus what a subscriber fleet needs. */
export const clientSpecs: OptionSpec[] = [
  { name: 'serverAddresses', key: 'ServerAddresses', flag: 'server-addresses', short: 's', type: 'pattern', default: '127.0.0.1:8800', arg: 'LIST', description: 'servers to connect to (HOST:PORT or ws://HOST:PORT/PATH, comma separated, braces expand); connection i uses server i mod count' },
  { name: 'clients', key: 'Clients', flag: 'clients', short: 'n', type: 'int', min: 1, default: 1000, arg: 'N', description: 'connections to open' },
  { name: 'subjects', key: 'Subjects', flag: 'subjects', type: 'pattern', default: '/p/s{1..1000}/-', arg: 'PATTERN', description: 'the set of subjects, brace-expanded' },
  { name: 'subjectsPerClient', key: 'SubjectsPerClient', flag: 'subjects-per-client', type: 'int', min: 1, max: 1000, default: 1, arg: 'N', description: 'subjects each connection subscribes to' },
  { name: 'oneToOne', key: 'OneToOne', flag: 'one-to-one', type: 'bool', default: false, description: 'client i subscribes to subject i (else: subjects drawn at random from the set)' },
  { name: 'localAddresses', key: 'LocalAddresses', flag: 'local-addresses', type: 'pattern', arg: 'PATTERN', description: 'local IP addresses to bind, brace-expanded (unset: the kernel chooses address and port)' },
  { name: 'localPorts', key: 'LocalPorts', flag: 'local-ports', type: 'portRange', default: { from: 1024, to: 65535 }, arg: 'FROM-TO', description: 'explicit, successive local ports used on every local address (the article used 500-65535)' },
  { name: 'bufferSize', key: 'BufferSize', flag: 'buffer-size', type: 'int', min: 64, max: 16 * 1024 * 1024, default: 65536, arg: 'BYTES', description: 'read buffer: bytes taken from the kernel per read, shared by all sockets of a worker' },
  { name: 'workers', key: 'Workers', flag: 'workers', type: 'int', min: 1, max: 1024, arg: 'N', description: 'worker processes (default: one per core, more when the open-file limit needs it)' },
  { name: 'connectRate', key: 'ConnectRate', flag: 'connect-rate', type: 'number', min: 1, default: 5000, arg: 'PER_SEC', description: 'new connections per second over all workers' },
  { name: 'maxPending', key: 'MaxPendingHandshakes', flag: 'max-pending', type: 'int', min: 1, default: 2000, arg: 'N', description: 'handshakes in flight at once over all workers' },
  { name: 'handshakeTimeout', key: 'HandshakeTimeout', flag: 'handshake-timeout', type: 'number', min: 0.1, default: 10, arg: 'SECONDS', description: 'connect + upgrade must finish within this' },
  { name: 'warmup', key: 'WarmUpTime', flag: 'warmup', type: 'number', min: 0, default: 0, arg: 'SECONDS', description: 'latencies of the first seconds are kept out of the run\'s statistics and reported apart' },
  { name: 'latencyFrom', key: 'LatencyFrom', flag: 'latency-from', type: 'enum', choices: ['scheduled', 'sent'], default: 'scheduled', description: 'stamp latency is measured from: the publisher\'s schedule (free of coordinated omission) or its actual send' },
  { name: 'mask', key: 'Mask', flag: 'mask', type: 'enum', choices: ['random', 'zero'], default: 'random', description: 'masking key of client frames' },
  { name: 'token', key: 'Token', flag: 'token', type: 'string', arg: 'TOKEN', description: 'shared token sent as "Authorization: Bearer TOKEN"' },
  { name: 'seed', key: 'Seed', flag: 'seed', type: 'int', min: 0, default: 1, arg: 'N', description: 'seed of the random subject choice' },
  { name: 'semiSpaceMb', key: 'SemiSpaceMB', flag: 'semi-space-mb', type: 'int', min: 1, max: 256, default: 1, arg: 'MB', description: 'V8 young-generation semi-space of each worker: small keeps memory per connection near a bare socket\'s, larger suits very high message rates' },
  { name: 'perWorker', flag: 'per-worker', type: 'bool', default: false, description: 'also print one line per worker in each report' },
  { name: 'clockSamples', key: 'ClockSamples', flag: 'clock-samples', type: 'int', min: 0, default: 16, arg: 'N', description: 'time probes against the server at start to estimate the clock offset (0: skip)' },
  ...instanceSpecs,
  ...reconnectSpecs,
  ...commonSpecs,
];

export interface ClientConfig extends CommonConfig, ReconnectConfig, InstanceConfig {
  clockSamples: number;
  serverAddresses: string;
  clients: number;
  subjects: string;
  subjectsPerClient: number;
  oneToOne: boolean;
  localAddresses?: string;
  localPorts: PortRange;
  bufferSize: number;
  workers?: number;
  connectRate: number;
  maxPending: number;
  handshakeTimeout: number;
  warmup: number;
  latencyFrom: 'scheduled' | 'sent';
  mask: 'random' | 'zero';
  token?: string;
  seed: number;
  semiSpaceMb: number;
  perWorker: boolean;
}
