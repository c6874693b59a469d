import { clientTlsFor, deflateOfferOf, type Clock, type Counters, type RunProtocol, type ServerAddress, type WsClientEvents } from '@mdbench/core/worker';
import type { ClientWorkerConfig } from '../worker-config.js';
import type { SessionSink, Subscriber, SubscriberContext } from './subscriber.js';

/** Largest WebSocket message a subscriber accepts. */
const MAX_PAYLOAD = 16 * 1024 * 1024;

/** What the context of a worker's connections is made from. */
export interface ContextSources {
  config: ClientWorkerConfig;
  protocol: RunProtocol;
  clock: Clock;
  servers: ServerAddress[];
  /** The worker: the connections' socket events and protocol session events. */
  handlers: WsClientEvents<Subscriber> & SessionSink;
  /** Where compressed bytes are counted. */
  counters: Counters;
  /** The server's `retry:` of an event stream, ms. */
  onRetry(ms: number): void;
}

/** The settings and handlers every connection of a worker shares (one object for the worker). */
export function subscriberContextOf(from: ContextSources): SubscriberContext {
  const { config, protocol, clock, servers } = from;
  const options = config.options;
  return {
    readBuffer: Buffer.allocUnsafe(options.bufferSize),
    maxPayload: MAX_PAYLOAD,
    mask: options.mask,
    text: protocol.text,
    path: servers[0].path,
    subprotocol: protocol.subprotocol,
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : undefined,
    // The coordinator checked the files before starting the workers.
    tls: clientTlsFor(servers, options, () => ({ file: 'worker configuration' })),
    nowMs: () => clock.monotonicMs(),
    deflate: deflateOfferOf(options),
    deflateCounters: from.counters,
    transport: options.transport === 'sse' ? 'sse' : 'websocket',
    // The subscription is the URL: a connection opens its one topic's path.
    pathOf: protocol.can.subscribeByPath ? (c) => c.topics[0] : undefined,
    onRetry: from.onRetry,
    events: from.handlers,
    protocol,
    sessions: from.handlers,
    clientIdBase: `${options.clientIdPrefix}-${config.instanceIndex + 1}-${config.workerId}`,
  };
}
