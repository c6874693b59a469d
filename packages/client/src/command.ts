import { ExitCode, defineCommand, packageVersion, type CommandDef } from '@mdbench/core/internal';
import { clientSpecs } from './options.js';
import { runClient } from './run.js';

const version = packageVersion(import.meta.url);

export const clientCommand: CommandDef = defineCommand({
  name: 'mdbench-client',
  version,
  description:
    "The subscriber fleet: opens Clients WebSocket connections over explicit local addresses and successive ports, subscribes each to subjects over the chosen protocol, measures every message's latency and reports rolling statistics.",
  specs: clientSpecs,
  example:
    'mdbench-client -s 127.0.0.1:8800 --clients 20000 --local-addresses "127.0.0.{2..5}" --local-ports 20000-60000 --subjects "/p/s{1..20000}/-" --one-to-one',
  exitCodes: [ExitCode.OK, ExitCode.RUN_ERRORS, ExitCode.CONFIG, ExitCode.PREFLIGHT, ExitCode.UNREACHABLE, ExitCode.INTERNAL],
  run: (ctx) => runClient(ctx, version),
});
