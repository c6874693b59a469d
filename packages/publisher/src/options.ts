import { commonSpecs, instanceSpecs, reconnectSpecs, type CommonConfig, type InstanceConfig, type OptionSpec, type ReconnectConfig } from '@mdbench/core';

/** mdbench-publisher's options: the article's publisher keys plus pacing and connection settings. */
export const publisherSpecs: OptionSpec[] = [
  { name: 'serverAddresses', key: 'ServerAddresses', flag: 'server-addresses', short: 's', type: 'pattern', default: '127.0.0.1:8800', arg: 'LIST', description: 'servers to publish to; connection j uses server j mod count' },
  { name: 'publisherType', key: 'PublisherType', flag: 'publisher-type', type: 'string', arg: 'PREFIX', description: 'first segment of every subject: /PREFIX + Subjects (the article: p, giving /p/s1/-)' },
  { name: 'subjects', key: 'Subjects', flag: 'subjects', type: 'pattern', default: '/p/s{1..1000}/-', arg: 'PATTERN', description: 'subjects to publish to, each message to one drawn at random' },
  { name: 'frequency', key: 'Frequency', flag: 'frequency', short: 'f', type: 'number', min: 0.001, default: 1000, arg: 'PER_SEC', description: 'messages per second, held by a schedule' },
  { name: 'messageSize', key: 'MessageSize', flag: 'message-size', type: 'int', min: 0, max: 16 * 1024 * 1024, default: 512, arg: 'BYTES', description: 'payload bytes of random characters per message' },
  { name: 'connections', key: 'Connections', flag: 'connections', type: 'int', min: 1, max: 10_000, default: 1, arg: 'N', description: 'connections the rate is spread over (a subject always goes over the same one, to keep its order)' },
  { name: 'messages', key: 'Messages', flag: 'messages', type: 'int', min: 0, default: 0, arg: 'N', description: 'stop after publishing N messages (0: no limit)' },
  { name: 'maxBatch', key: 'MaxBatch', flag: 'max-batch', type: 'int', min: 1, default: 4096, arg: 'N', description: 'most messages written in one batch (catch-up after a stall is spread over batches)' },
  { name: 'highWater', key: 'BufferLimit.Send', flag: 'high-water', type: 'int', min: 1024, default: 8 * 1024 * 1024, arg: 'BYTES', description: 'socket backlog above which publishing waits (and the schedule lag shows it)' },
  { name: 'pacing', key: 'Pacing', flag: 'pacing', type: 'enum', choices: ['timer', 'precise'], default: 'timer', description: 'precise: sub-millisecond waits sleep in a futex (no spinning); timer: setTimeout only (1 ms granularity)' },
  { name: 'mask', key: 'Mask', flag: 'mask', type: 'enum', choices: ['random', 'zero'], default: 'random', description: 'masking key of client frames (zero skips the XOR, for the highest rates)' },
  { name: 'token', key: 'Token', flag: 'token', type: 'string', arg: 'TOKEN', description: 'shared token sent as "Authorization: Bearer TOKEN"' },
  { name: 'seed', key: 'Seed', flag: 'seed', type: 'int', min: 0, default: 2, arg: 'N', description: 'seed of the random subject choice' },
  ...instanceSpecs,
  ...reconnectSpecs,
  ...commonSpecs,
];

export interface PublisherConfig extends CommonConfig, ReconnectConfig, InstanceConfig {
  serverAddresses: string;
  publisherType?: string;
  subjects: string;
  frequency: number;
  messageSize: number;
  connections: number;
  messages: number;
  maxBatch: number;
  highWater: number;
  pacing: 'precise' | 'timer';
  mask: 'random' | 'zero';
  token?: string;
  seed: number;
}
