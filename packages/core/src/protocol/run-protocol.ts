import type { Protocol } from './protocol.js';
import type { StampFormat } from './stamp.js';

/**
 * A protocol as the tools run it: every optional member of `Protocol` filled with its default once,
 * at loading, and what it can do spelled out, so that no caller re-applies a default or tests a
 * protocol's name.
 */
export interface RunProtocol extends Protocol {
  readonly stamp: StampFormat | 'header';
  readonly keepaliveMs: number;
  readonly keepaliveAnswered: boolean;
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
  };
  /** How to start a server that speaks it, for the hint of an unreachable one (absent: none known). */
  readonly serverHint?: string;
}

/** `p` with its defaults filled (binary stamp, subjects as topics, no keepalive) and its capabilities. */
export function runProtocol(p: Protocol, module: string, known: { timeProbe?: boolean; serverHint?: string }): RunProtocol {
  const keepaliveMs = p.keepaliveMs ?? 0;
  const topic = p.topic ? p.topic.bind(p) : (subject: string) => subject;
  // The object keeps the protocol's own methods (its `this`), with the filled members over them.
  return Object.assign(Object.create(p) as Protocol, {
    stamp: p.stamp ?? 'binary',
    keepaliveMs,
    keepaliveAnswered: p.keepaliveAnswered ?? false,
    topic,
    module,
    can: { timeProbe: known.timeProbe ?? false, acks: p.window !== undefined, keepalive: keepaliveMs > 0 && typeof p.keepalive === 'function' },
    serverHint: known.serverHint,
  }) as RunProtocol;
}
