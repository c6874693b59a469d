import { packageVersion, type CommandDef } from '@mdbench/core';
import { serverSpecs, type ServerConfig } from './options.js';
import { runServer } from './primary.js';

const version = packageVersion(import.meta.url);

export const serverCommand: CommandDef = {
  name: 'mdbench-server',
  version,
  description: 'The reference publish/subscribe WebSocket server bundled with mdbench: subscriptions by subject, fan-out over worker processes, periodic statistics.',
  specs: serverSpecs,
  helpAfter: 'Example: mdbench-server --listen 127.0.0.1:8800 --workers 4\nExit codes: 0 ok, 1 run errors, 2 bad configuration, 3 host cannot run the plan, 70 internal error.',
  run: (ctx) => runServer(ctx.config as unknown as ServerConfig, ctx, version),
};
