import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MdbenchError, type SourceLocation } from '../errors.js';
import { ProtocolOptionError, type Protocol, type ProtocolModule, type ProtocolOptions } from './protocol.js';
import { type RunProtocol, runProtocol } from './run-protocol.js';
import { native } from './native/native.js';
import { nats } from './nats/nats.js';
import { stomp } from './stomp/stomp.js';

/** A built-in protocol: its module, and what only mdbench's own server offers. */
interface BuiltIn {
  load(): Promise<ProtocolModule>;
  /** The server answers mdbench's time probe (mdbench-server). */
  timeProbe?: boolean;
  /** How to start a server that speaks it, for the hint of an unreachable one. */
  serverHint?: string;
}

/**
 * The protocols built in, by the name `--protocol` takes. MQTT's module (mqtt-packet, about 11 MB
 * of a process's RSS) is loaded only by a process that speaks MQTT: a fleet runs dozens of workers.
 */
const BUILT_IN: Readonly<Record<string, BuiltIn>> = {
  native: { load: async () => native, timeProbe: true, serverHint: 'mdbench-server --listen HOST:PORT' },
  nats: { load: async () => nats },
  mqtt: { load: async () => (await import('./mqtt/mqtt.js')).mqtt },
  stomp: { load: async () => stomp },
  'socket.io': { load: async () => (await import('./socket-io/socket-io.js')).socketIo },
  'graphql-ws': { load: async () => (await import('./graphql-ws/graphql-ws.js')).graphqlWs },
  plain: {
    load: async () => (await import('./plain/plain.js')).plain,
    serverHint: 'mdbench-server --listen HOST:PORT, or nginx with Nchan (docs/protocols.md)',
  },
  http: { load: async () => (await import('./http/http.js')).http, serverHint: 'mdbench-server --listen HOST:PORT, or nginx with Nchan (docs/protocols.md)' },
};

/** The names `--protocol` takes (`http` comes with `--transport http`, not alone). */
export const BUILT_IN_PROTOCOLS: readonly string[] = Object.keys(BUILT_IN).filter((name) => name !== 'http');

const REQUIRED = ['open', 'receive', 'publishBytes', 'writePublish'] as const;

/** True when `--protocol` names a module file rather than a built-in protocol. */
function isPluginPath(name: string): boolean {
  return name.includes('/') || name.includes('\\') || /\.[cm]?js$/.test(name);
}

function pluginError(message: string, where: SourceLocation): MdbenchError {
  return new MdbenchError('MDB_PLUGIN', message, { location: where });
}

/** Checks that `p` has every member the Protocol interface requires; one line naming what is missing. */
function checkProtocol(p: unknown, what: string, where: SourceLocation): Protocol {
  if (typeof p !== 'object' || p === null) throw pluginError(`${what}: create() returned ${p === null ? 'null' : typeof p}, not a protocol object`, where);
  const obj = p as Record<string, unknown>;
  if (typeof obj.name !== 'string') throw pluginError(`${what}: the protocol has no "name" string`, where);
  for (const m of REQUIRED) if (typeof obj[m] !== 'function') throw pluginError(`${what}: the protocol lacks the method ${m}()`, where);
  for (const m of ['keepalive', 'topic'] as const) {
    if (obj[m] !== undefined && typeof obj[m] !== 'function') throw pluginError(`${what}: ${m} is not a function`, where);
  }
  if (obj.stamp !== undefined && !['binary', 'text', 'header'].includes(obj.stamp as string)) {
    throw pluginError(`${what}: stamp must be "binary", "text" or "header", not ${JSON.stringify(obj.stamp)}`, where);
  }
  return p as Protocol;
}

/**
 * The protocol `--protocol` names, ready to run: a built-in (`native`, `nats`, `mqtt`, `stomp`) or
 * the path of a module exporting `create(options)` (named or on its default export), read against
 * `cwd`. Its optional members come filled with their defaults and its capabilities spelled out, so
 * no caller tests a protocol by its name. Any problem is one line located at the option that
 * caused it (`locate` gives where an option's value came from; exit 2).
 */
export async function loadProtocol(name: string, options: ProtocolOptions, locate: (option: string) => SourceLocation, cwd: string): Promise<RunProtocol> {
  const where = locate('protocol');
  const builtIn = Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined;
  if (builtIn) {
    const module = await builtIn.load();
    try {
      return runProtocol(module.create(options), name, builtIn);
    } catch (err) {
      if (err instanceof ProtocolOptionError) throw new MdbenchError('MDB_CONFIG_VALUE', err.message, { location: locate(err.option) });
      throw err;
    }
  }
  if (!isPluginPath(name)) {
    throw pluginError(
      `unknown protocol "${name}" (built in: ${BUILT_IN_PROTOCOLS.join(', ')}; or the path of a plug-in module such as ./my-protocol.mjs)`,
      where,
    );
  }
  const file = path.resolve(cwd, name);
  return runProtocol(await loadPlugin(file, options, where), file, {});
}

/** A plug-in module's protocol, checked to have every member the interface requires. */
async function loadPlugin(file: string, options: ProtocolOptions, where: SourceLocation): Promise<Protocol> {
  if (!existsSync(file)) throw pluginError(`protocol plug-in ${file} does not exist`, where);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw pluginError(`protocol plug-in ${file} cannot be loaded: ${(err as Error).message.split('\n')[0]}`, where);
  }
  const create = (mod.create ?? (mod.default as Record<string, unknown> | undefined)?.create) as ProtocolModule['create'] | undefined;
  if (typeof create !== 'function') throw pluginError(`protocol plug-in ${file} exports no create(options) function`, where);
  let p: unknown;
  try {
    p = create(options);
  } catch (err) {
    throw pluginError(`protocol plug-in ${file}: create() threw: ${(err as Error).message}`, where);
  }
  return checkProtocol(p, `protocol plug-in ${file}`, where);
}
