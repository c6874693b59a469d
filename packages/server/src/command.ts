import { ExitCode, defineCommand, packageVersion, type CommandDef } from '@mdbench/core/internal';
import { serverSpecs } from './options.js';
import { runServer } from './primary/run.js';

const version = packageVersion(import.meta.url);

export const serverCommand: CommandDef = defineCommand({
  name: 'mdbench-server',
  version,
  description:
    'The reference publish/subscribe WebSocket server bundled with mdbench: the native protocol, subscriptions by subject, fan-out over worker processes, periodic statistics.',
  specs: serverSpecs,
  example: 'mdbench-server --listen 127.0.0.1:8800 --workers 4',
  exitCodes: [ExitCode.OK, ExitCode.RUN_ERRORS, ExitCode.CONFIG, ExitCode.PREFLIGHT, ExitCode.INTERNAL],
  run: (ctx) => runServer(ctx, version),
});
