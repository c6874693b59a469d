import { commonSpecs, defineOptions, instanceSpecs, metricsSpecs, protocolSpecs, reconnectSpecs, tlsClientSpecs, compressionClientSpecs, runThresholdSpecs, type ConfigOf } from '@mdbench/core';

/** mdbench-publisher's options: the article's publisher keys plus pacing and connection settings. The one source of its flags, file keys, environment, help and README table. */
export const publisherSpecs = defineOptions([
  { name: 'serverAddresses', key: 'ServerAddresses', flag: 'server-addresses', short: 's', type: 'pattern', default: '127.0.0.1:8800', arg: 'LIST', group: 'connections', description: 'servers to publish to; connection j uses server j mod count' },
  { name: 'connections', key: 'Connections', flag: 'connections', type: 'int', min: 1, max: 10_000, default: 1, arg: 'N', group: 'connections', description: 'connections the rate is spread over (a subject always goes over the same one, to keep its order)' },
  { name: 'mask', key: 'Mask', flag: 'mask', type: 'enum', choices: ['random', 'zero'], default: 'random', group: 'connections', description: 'masking key of client frames (zero skips the XOR, for the highest rates)' },
  { name: 'token', key: 'Token', flag: 'token', type: 'string', arg: 'TOKEN', secret: true, group: 'protocol', description: 'shared token sent as "Authorization: Bearer TOKEN" (and as the NATS auth_token)' },
  { name: 'window', key: 'Window', flag: 'window', type: 'int', min: 1, max: 65_000, default: 1000, arg: 'N', group: 'protocol', description: 'QoS 1: most publishes a connection may have unacknowledged; at the window publishing waits (and the schedule lag shows it)' },
  { name: 'ackTimeout', key: 'AckTimeout', flag: 'ack-timeout', type: 'number', min: 0.1, default: 10, arg: 'SECONDS', group: 'protocol', description: 'QoS 1: a connection whose publishes have had no acknowledgement for this long is dropped (ack-timeout) and reconnected' },
  { name: 'publisherType', key: 'PublisherType', flag: 'publisher-type', type: 'string', arg: 'PREFIX', group: 'subjects', description: 'first segment of every subject: /PREFIX + Subjects (the article: p, giving /p/s1/-)' },
  { name: 'subjects', key: 'Subjects', flag: 'subjects', type: 'pattern', default: '/p/s{1..1000}/-', arg: 'PATTERN', group: 'subjects', description: 'subjects to publish to, each message to one drawn at random' },
  { name: 'seed', key: 'Seed', flag: 'seed', type: 'int', min: 0, default: 2, arg: 'N', group: 'subjects', description: 'seed of the random subject choice' },
  { name: 'frequency', key: 'Frequency', flag: 'frequency', short: 'f', type: 'number', min: 0.001, default: 1000, arg: 'PER_SEC', group: 'pacing', description: 'messages per second, held by a schedule' },
  { name: 'messageSize', key: 'MessageSize', flag: 'message-size', type: 'int', min: 0, max: 16 * 1024 * 1024, default: 512, arg: 'BYTES', group: 'pacing', description: 'payload bytes per message: random characters, the stamp at their start for protocols other than native' },
  { name: 'messages', key: 'Messages', flag: 'messages', type: 'int', min: 0, default: 0, arg: 'N', group: 'pacing', description: 'stop after publishing N messages (0: no limit)' },
  { name: 'maxBatch', key: 'MaxBatch', flag: 'max-batch', type: 'int', min: 1, default: 4096, arg: 'N', group: 'pacing', description: 'most messages written in one batch (catch-up after a stall is spread over batches)' },
  { name: 'highWater', key: 'BufferLimit.Send', flag: 'high-water', type: 'int', min: 1024, default: 8 * 1024 * 1024, arg: 'BYTES', group: 'pacing', description: 'socket backlog above which publishing waits (and the schedule lag shows it)' },
  { name: 'pacing', key: 'Pacing', flag: 'pacing', type: 'enum', choices: ['timer', 'precise'], default: 'timer', group: 'pacing', description: 'precise: sub-millisecond waits sleep in a futex (no spinning); timer: setTimeout only (1 ms granularity)' },
  ...protocolSpecs,
  ...metricsSpecs,
  ...instanceSpecs,
  ...reconnectSpecs,
  ...tlsClientSpecs,
  ...compressionClientSpecs,
  ...runThresholdSpecs,
  ...commonSpecs,
]);

export type PublisherConfig = ConfigOf<typeof publisherSpecs>;
