import { ExitCode, defineCommand, packageVersion, type CommandDef } from '@mdbench/core/internal';
import { capacitySpecs } from './options.js';
import { runCapacity } from './run.js';

const version = packageVersion(import.meta.url);

export const capacityCommand: CommandDef = defineCommand({
  name: 'mdbench-capacity',
  version,
  description:
    "Finds a server's capacity: keeps mdbench-client's connections open and runs mdbench-publisher at stepped rates (or steps the connection count), until a stated objective breaks (latency percentile, loss, publisher lag, the client saturating); reports the highest value that held with the table of steps as evidence.",
  specs: capacitySpecs,
  example: 'mdbench-capacity -s 127.0.0.1:8800 --clients 1000 --subjects "/p/s{1..1000}/-" --one-to-one --start 5000 --factor 2 --objectives "p99<50ms,loss=0"',
  exitCodes: [ExitCode.OK, ExitCode.RUN_ERRORS, ExitCode.CONFIG, ExitCode.UNREACHABLE, ExitCode.INTERNAL],
  run: (ctx) => runCapacity(ctx),
});
