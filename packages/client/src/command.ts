import { packageVersion, type CommandDef } from '@mdbench/core';
import { clientSpecs, type ClientConfig } from './options.js';
import { runClient } from './coordinator.js';

const version = packageVersion(import.meta.url);

export const clientCommand: CommandDef = {
  name: 'mdbench-client',
  version,
  description:
    'The subscriber fleet: opens Clients WebSocket connections over explicit local addresses and successive ports, subscribes each to subjects, measures every message\'s latency and reports rolling statistics.',
  specs: clientSpecs,
  helpAfter:
    'Example: mdbench-client -s 127.0.0.1:8800 --clients 20000 --local-addresses "127.0.0.{2..5}" --local-ports 20000-60000 --subjects "/p/s{1..20000}/-" --one-to-one\n' +
    'Exit codes: 0 ok, 1 run errors (failed connections, lost messages), 2 bad configuration, 3 host cannot run the plan, 4 server unreachable, 70 internal error.',
  run: (ctx) => runClient(ctx.config as unknown as ClientConfig, ctx, version),
};
