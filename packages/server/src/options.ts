import { commonSpecs, defineOptions, tlsServerSpecs, compressionServerSpecs, type ConfigOf } from '@mdbench/core';

/** mdbench-server's options: the article's server keys plus what a reference server needs. The one source of its flags, file keys, environment, help and README table. */
export const serverSpecs = defineOptions([
  { name: 'listen', key: 'Listen', flag: 'listen', type: 'string', default: '127.0.0.1:8800', arg: 'HOST:PORT', group: 'server', description: 'address and port to accept clients on ("*:8800" for every interface, port 0 for any free port)' },
  { name: 'workers', key: 'Workers', flag: 'workers', type: 'int', min: 1, max: 512, arg: 'N', group: 'server', description: 'worker processes sharing the port (default: one per core, more when --expect-connections needs it)' },
  { name: 'scheduling', key: 'Scheduling', flag: 'scheduling', type: 'enum', choices: ['shared', 'round-robin'], default: 'shared', group: 'server', description: 'shared: workers accept from one shared socket (fast, about +/-15% uneven); round-robin: the primary accepts and deals (even, slower)' },
  { name: 'maxSocketsPerWorker', key: 'MaxSocketsPerWorker', flag: 'max-sockets-per-worker', type: 'int', min: 1, arg: 'N', group: 'server', description: 'a worker holding this many sockets stops accepting until it has room (default: its open-file limit less a margin; more than that is allowed, with a warning, and a worker out of descriptors pauses accepting)' },
  { name: 'semiSpaceMb', key: 'SemiSpaceMB', flag: 'semi-space-mb', type: 'int', min: 1, max: 256, default: 1, arg: 'MB', group: 'server', description: 'V8 young-generation semi-space of each worker: small keeps memory per connection near a bare socket\'s, larger suits very high message rates' },
  { name: 'expectConnections', key: 'ExpectConnections', flag: 'expect-connections', type: 'int', min: 0, default: 0, arg: 'N', group: 'server', description: 'connections the run will bring: sizes --workers to the open-file limit and checks the host' },
  { name: 'bufferLimitSend', key: 'BufferLimit.Send', flag: 'buffer-limit-send', type: 'int', min: 0, default: 4 * 1024 * 1024, arg: 'BYTES', group: 'server', description: 'bytes queued to one subscriber before it counts as slow (0: no limit)' },
  { name: 'bufferLimitReceive', key: 'BufferLimit.Receive', flag: 'buffer-limit-receive', type: 'int', min: 64, default: 1024 * 1024, arg: 'BYTES', group: 'server', description: 'largest frame accepted from a peer; larger frames close the connection with 1009' },
  { name: 'slowConsumer', key: 'SlowConsumer', flag: 'slow-consumer', type: 'enum', choices: ['drop', 'disconnect'], default: 'drop', group: 'server', description: 'what happens to a subscriber over BufferLimit.Send' },
  { name: 'token', key: 'Token', flag: 'token', type: 'string', arg: 'TOKEN', secret: true, group: 'server', description: 'shared token clients must send (Authorization: Bearer TOKEN); unset: no check' },
  { name: 'monitor', key: 'Monitor', flag: 'monitor', type: 'enum', choices: ['none', 'HTTP', 'JMX'], default: 'HTTP', group: 'monitor', description: 'monitoring endpoint: JSON (/stats, /connections) and Prometheus text (/metrics) over HTTP; JMX is Java-only and read as HTTP' },
  { name: 'monitorListen', key: 'MonitorHTTP.Listen', flag: 'monitor-listen', type: 'string', default: '127.0.0.1:0', arg: 'HOST:PORT', group: 'monitor', description: 'where the HTTP monitor listens (loopback unless told otherwise)' },
  { name: 'monitorJmxListen', key: 'MonitorJMX.Listen', type: 'string', group: 'article', description: 'JMX address', ignored: 'JMX is a Java facility; mdbench-server serves its statistics over HTTP at MonitorHTTP.Listen' },
  { name: 'monitorJmxAuth', key: 'MonitorJMX.Authentication', type: 'bool', group: 'article', description: 'JMX authentication', ignored: 'JMX is a Java facility' },
  { name: 'pubSubTightlyCoupled', key: 'PubSubTightlyCoupled', flag: 'pub-sub-tightly-coupled', type: 'bool', default: false, group: 'article', description: 'notify publishers of subscriptions (not supported: must be false)' },
  { name: 'cacheSize', key: 'CacheSize', flag: 'cache-size', type: 'int', min: 0, max: 0, default: 0, arg: 'N', group: 'article', description: 'messages cached per subject for late subscribers (the reference server caches none: must be 0)' },
  { name: 'benchmarkMode', key: 'BenchmarkMode', flag: 'benchmark-mode', type: 'bool', default: true, group: 'article', description: 'spread connections from one IP address over all workers (the only way this server works: must be true)' },
  { name: 'testClockOffsetMs', flag: 'test-clock-offset-ms', type: 'number', default: 0, arg: 'MS', group: 'test', description: 'TEST ONLY: shift the time this server reports to clock probes' },
  { name: 'testDropEvery', flag: 'test-drop-every', type: 'int', min: 0, default: 0, arg: 'N', group: 'test', description: 'TEST ONLY: drop every Nth published message at the receiving worker' },
  { name: 'testMaxRate', flag: 'test-max-rate', type: 'number', min: 0, default: 0, arg: 'PER_SEC', group: 'test', description: 'TEST ONLY: each worker forwards at most this many published messages per second, queueing the rest (a server whose capacity is known in advance; 0: no cap)' },
  ...tlsServerSpecs,
  ...compressionServerSpecs,
  ...commonSpecs,
]);

export type ServerConfig = ConfigOf<typeof serverSpecs>;
