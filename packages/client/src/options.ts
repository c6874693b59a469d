import { commonSpecs, defineOptions, instanceSpecs, metricsSpecs, protocolSpecs, reconnectSpecs, tlsClientSpecs, compressionClientSpecs, runThresholdSpecs, type ConfigOf } from '@mdbench/core';

/** mdbench-client's options: the article's client keys plus what a subscriber fleet needs. The one source of its flags, file keys, environment, help and README table. */
export const clientSpecs = defineOptions([
  { name: 'serverAddresses', key: 'ServerAddresses', flag: 'server-addresses', short: 's', type: 'pattern', default: '127.0.0.1:8800', arg: 'LIST', group: 'connections', description: 'servers to connect to (HOST:PORT or ws://HOST:PORT/PATH, comma separated, braces expand); connection i uses server i mod count' },
  { name: 'clients', key: 'Clients', flag: 'clients', short: 'n', type: 'int', min: 1, default: 1000, arg: 'N', group: 'connections', description: 'connections to open' },
  { name: 'subjects', key: 'Subjects', flag: 'subjects', type: 'pattern', default: '/p/s{1..1000}/-', arg: 'PATTERN', group: 'subjects', description: 'the set of subjects, brace-expanded' },
  { name: 'subjectsPerClient', key: 'SubjectsPerClient', flag: 'subjects-per-client', type: 'int', min: 1, max: 1000, default: 1, arg: 'N', group: 'subjects', description: 'subjects each connection subscribes to' },
  { name: 'oneToOne', key: 'OneToOne', flag: 'one-to-one', type: 'bool', default: false, group: 'subjects', description: 'client i subscribes to subject i (else: subjects drawn at random from the set)' },
  { name: 'seed', key: 'Seed', flag: 'seed', type: 'int', min: 0, default: 1, arg: 'N', group: 'subjects', description: 'seed of the random subject choice' },
  { name: 'localAddresses', key: 'LocalAddresses', flag: 'local-addresses', type: 'pattern', arg: 'PATTERN', group: 'connections', description: 'local IP addresses (aliases) to bind, brace-expanded (unset: the kernel chooses address and port)' },
  { name: 'localPorts', key: 'LocalPorts', flag: 'local-ports', type: 'portRange', default: { from: 1024, to: 65535 }, arg: 'FROM-TO', group: 'connections', description: 'explicit, successive local ports used on every local address (the article used 500-65535)' },
  { name: 'connectRate', key: 'ConnectRate', flag: 'connect-rate', type: 'number', min: 1, default: 5000, arg: 'PER_SEC', group: 'connections', description: 'new connections per second over all workers (reconnects too)' },
  { name: 'maxPending', key: 'MaxPendingHandshakes', flag: 'max-pending', type: 'int', min: 1, default: 2000, arg: 'N', group: 'connections', description: 'handshakes in flight at once over all workers, at most: halved while attempts time out, one more for each session that comes up' },
  { name: 'mask', key: 'Mask', flag: 'mask', type: 'enum', choices: ['random', 'zero'], default: 'random', group: 'connections', description: 'masking key of client frames' },
  { name: 'token', key: 'Token', flag: 'token', type: 'string', arg: 'TOKEN', secret: true, group: 'protocol', description: 'shared token sent as "Authorization: Bearer TOKEN" (and as the NATS auth_token)' },
  { name: 'bufferSize', key: 'BufferSize', flag: 'buffer-size', type: 'int', min: 64, max: 16 * 1024 * 1024, default: 65536, arg: 'BYTES', group: 'processes', description: 'read buffer: bytes taken from the kernel per read, shared by all sockets of a worker' },
  { name: 'workers', key: 'Workers', flag: 'workers', type: 'int', min: 1, max: 1024, arg: 'N', group: 'processes', description: 'worker processes (default: one per core, more when the open-file limit needs it)' },
  { name: 'semiSpaceMb', key: 'SemiSpaceMB', flag: 'semi-space-mb', type: 'int', min: 1, max: 256, default: 1, arg: 'MB', group: 'processes', description: 'V8 young-generation semi-space of each worker: small keeps memory per connection near a bare socket\'s, larger suits very high message rates' },
  { name: 'warmup', key: 'WarmUpTime', flag: 'warmup', type: 'number', min: 0, default: 0, arg: 'SECONDS', group: 'measurement', description: 'latencies of the messages in the first SECONDS from the first message (each worker\'s) are not measured, only counted (`warmupMessages`): the tools\' and the server\'s cold start kept out of the statistics; the plan line says so' },
  { name: 'latencyFrom', key: 'LatencyFrom', flag: 'latency-from', type: 'enum', choices: ['scheduled', 'sent'], default: 'scheduled', group: 'measurement', description: 'stamp latency is measured from: the publisher\'s schedule (free of coordinated omission) or its actual send' },
  { name: 'clockSamples', key: 'ClockSamples', flag: 'clock-samples', type: 'int', min: 0, default: 16, arg: 'N', group: 'measurement', description: 'time probes against the server at start to estimate the clock offset (native protocol only; 0: skip)' },
  { name: 'dashboard', key: 'Dashboard', flag: 'dashboard', type: 'string', arg: 'HOST:PORT', group: 'output', description: 'serve a live page of the run at http://HOST:PORT/ (":8080" is 127.0.0.1:8080): latency, rate and connections charts and the thresholds\' state, updated every interval (server-sent events), offline; asks for ?token=TOKEN when --token is set' },
  { name: 'perWorker', flag: 'per-worker', type: 'bool', default: false, group: 'output', description: 'also print one line per worker in each report' },
  ...protocolSpecs,
  ...metricsSpecs,
  ...instanceSpecs,
  ...reconnectSpecs,
  ...tlsClientSpecs,
  ...compressionClientSpecs,
  ...runThresholdSpecs,
  ...commonSpecs,
]);

export type ClientConfig = ConfigOf<typeof clientSpecs>;

/** Event-loop delay beyond which the client's own latency figures are suspect. */
export const SATURATION_P99_MS = 20;
