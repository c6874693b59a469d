import { packageVersion, type CommandDef } from '@mdbench/core';
import { publisherSpecs, type PublisherConfig } from './options.js';
import { runPublisher } from './run.js';

const version = packageVersion(import.meta.url);

export const publisherCommand: CommandDef = {
  name: 'mdbench-publisher',
  version,
  description: 'Publishes MessageSize-byte payloads of random characters at Frequency messages/sec to random subjects, stamping each with its scheduled and actual send time.',
  specs: publisherSpecs,
  helpAfter:
    'Example: mdbench-publisher -s 127.0.0.1:8800 --publisher-type p --subjects "/s{1..1500000}/-" --frequency 25000 --message-size 512\n' +
    'Exit codes: 0 ok, 1 run errors (rate not held, connection lost), 2 bad configuration, 4 server unreachable, 70 internal error.',
  run: (ctx) => runPublisher(ctx.config as unknown as PublisherConfig, ctx, version),
};
