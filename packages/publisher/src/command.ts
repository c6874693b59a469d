import { ExitCode, defineCommand, packageVersion, type CommandDef } from '@mdbench/core/internal';
import { publisherSpecs } from './options.js';
import { runPublisher } from './run.js';
import { runResponder } from './respond.js';

const version = packageVersion(import.meta.url);

export const publisherCommand: CommandDef = defineCommand({
  name: 'mdbench-publisher',
  version,
  description:
    'Publishes MessageSize-byte payloads at Frequency messages/sec, held by a schedule, to random subjects over the chosen protocol, stamping each with its publisher, sequence number, scheduled and actual send time.',
  specs: publisherSpecs,
  example: 'mdbench-publisher -s 127.0.0.1:8800 --publisher-type p --subjects "/s{1..1500000}/-" --frequency 25000 --message-size 512',
  exitCodes: [ExitCode.OK, ExitCode.RUN_ERRORS, ExitCode.CONFIG, ExitCode.PREFLIGHT, ExitCode.UNREACHABLE, ExitCode.INTERNAL],
  run: (ctx) => (ctx.config.respond ? runResponder(ctx, version) : runPublisher(ctx, version)),
});
