import type { Protocol } from './protocol.js';
import { stampBytes, type StampFormat } from './stamp.js';

/**
 * A protocol as the tools run it: every optional member of `Protocol` filled with its default once,
 * at loading, and what it can do spelled out, so that no caller re-applies a default or tests a
 * protocol's name.
 */
export interface RunProtocol extends Protocol {
  readonly stamp: StampFormat | 'header';
  readonly keepaliveMs: number;
  readonly keepaliveAnswered: boolean;
  readonly keepaliveWhenQuiet: boolean;
  readonly attachment: boolean;
  readonly path: string;
  topic(subject: string): string;
  /** The module a worker process loads to speak it: a built-in's name or a plug-in's absolute path. */
  readonly module: string;
  readonly can: {
    /** The server answers mdbench's clock probe (mdbench-server's native protocol). */
    timeProbe: boolean;
    /** Publishes are acknowledged (MQTT QoS 1), at most `window` outstanding per connection. */
    acks: boolean;
    /** Idle sessions send keepalives every `keepaliveMs`. */
    keepalive: boolean;
    /** Requests with replies matched by id (`requestBytes` and `writeRequest`). */
    request: boolean;
    /** Answers requests as a responder (mdbench-publisher --respond). */
    respond: boolean;
    /** A subscriber's request path is its one topic (`Protocol.subscribeByPath`). */
    subscribeByPath: boolean;
  };
  /** How to start a server that speaks it, for the hint of an unreachable one (absent: none known). */
  readonly serverHint?: string;
}

/** `p` with its defaults filled (binary stamp, subjects as topics, no keepalive) and its capabilities. */
export function runProtocol(protocol: Protocol, module: string, known: { timeProbe?: boolean; serverHint?: string }): RunProtocol {
  const keepaliveMs = protocol.keepaliveMs ?? 0;
  const topic = protocol.topic ? protocol.topic.bind(protocol) : (subject: string) => subject;
  // The protocol's methods stay bound to the protocol itself (it may keep state on its own object).
  return {
    name: protocol.name,
    subprotocol: protocol.subprotocol,
    text: protocol.text,
    window: protocol.window,
    stamp: protocol.stamp ?? 'binary',
    keepaliveMs,
    keepaliveAnswered: protocol.keepaliveAnswered ?? false,
    keepaliveWhenQuiet: protocol.keepaliveWhenQuiet ?? false,
    attachment: protocol.attachment ?? false,
    path: protocol.path ?? '/',
    topic,
    open: protocol.open.bind(protocol),
    receive: protocol.receive.bind(protocol),
    keepalive: protocol.keepalive?.bind(protocol),
    goodbye: protocol.goodbye?.bind(protocol),
    publishBytes: protocol.publishBytes.bind(protocol),
    writePublish: protocol.writePublish.bind(protocol),
    requestBytes: protocol.requestBytes?.bind(protocol),
    writeRequest: protocol.writeRequest?.bind(protocol),
    module,
    can: {
      timeProbe: known.timeProbe ?? false,
      acks: protocol.window !== undefined,
      keepalive: keepaliveMs > 0 && typeof protocol.keepalive === 'function',
      request: typeof protocol.requestBytes === 'function' && typeof protocol.writeRequest === 'function',
      respond: protocol.respond === true,
      subscribeByPath: protocol.subscribeByPath === true,
    },
    serverHint: known.serverHint,
  };
}

/** The servers with the protocol's path where their address gives none (Socket.IO's `/socket.io/?EIO=4&transport=websocket`). */
export function withProtocolPath<S extends { path: string; pathGiven?: boolean }>(servers: S[], protocol: Pick<RunProtocol, 'path'>): S[] {
  return servers.map((s) => (s.pathGiven ? s : { ...s, path: protocol.path }));
}

/** Why payloads of `messageSize` bytes cannot carry the protocol's stamp at their start, or null when they can. */
export function stampRoomProblem(protocol: Pick<RunProtocol, 'stamp' | 'name'>, messageSize: number): string | null {
  const format = protocol.stamp;
  if (format === 'header' || messageSize >= stampBytes(format)) return null;
  return `${messageSize} bytes cannot hold the ${stampBytes(format)}-byte ${format} stamp that ${protocol.name} payloads start with`;
}
