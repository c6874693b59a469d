import {
  type AddressPlan,
  type SubjectPlan,
  WsState,
  DelayQueue,
  clientTlsFor,
  deflateOfferOf,
  increment,
  safeText,
  takeCounters,
  type Clock,
  type Counters,
  type RunProtocol,
  type Stamp,
  type WsClientEvents,
  type ConnectPhase,
  type ServerAddress,
  warmEventStream,
} from '@mdbench/core/worker';
import { failedCounter } from '@mdbench/core/stats';
import { emptyGauges, type ClientGauges } from '@mdbench/core/stats';
import type { ClientWorkerConfig } from '../worker-config.js';
import type { ClientConfig } from '../options.js';
import { addressPlanOf, serversOf, subjectPlanOf, workerShareOf, type WorkerShare } from '../connection-plan.js';
import { KeepaliveWheel } from './keepalive-wheel.js';
import { MessageSink } from './message-sink.js';
import { ClientPublishing } from './publishing.js';
import { ClientRequests } from './requests.js';
import { Arrivals } from './arrivals.js';
import { parseLifetime, sampleLifetimeMs, type Lifetime } from '../lifetime.js';
import { Ramp } from './ramp.js';
import { Level, Subscriber, type SessionSink, type SubscriberContext } from './subscriber.js';

/** Synthetic messages the measuring path runs over before the first real one. */
const WARM_MESSAGES = 20_000;

/** Largest WebSocket message a subscriber accepts. */
const MAX_PAYLOAD = 16 * 1024 * 1024;

/**
 * One client worker's connections: their ramp, their protocol sessions, their keepalives and what
 * they measure. Everything time-dependent reads the injected clock; the owner drives `tick`,
 * `sweep` and `keepalive` from its timers and takes `gauges` and the sink's statistics.
 */
export class SubscriberWorker implements WsClientEvents<Subscriber>, SessionSink {
  readonly sink: MessageSink;
  readonly ramp: Ramp;
  readonly keepalives: KeepaliveWheel;
  /** The connections as publishers too (--publish-rate), or null when they only listen. */
  readonly publishing: ClientPublishing | null;
  /** The connections' requests (--request-rate), or null when they make none. */
  readonly requests: ClientRequests | null;
  /** The open model's arrivals (--arrival-rate), or null: the ramp opens every planned connection. */
  readonly arrivals: Arrivals | null;
  /** How long a connection lives (--lifetime), or null: until the run ends; the connections by when they end. */
  private readonly lifetime: Lifetime | null;
  private readonly lives = new DelayQueue<Subscriber>(50);
  /** Connection errors and refusals by cause since the last take. */
  readonly errors: Counters = {};
  /** The first detail of each refusal cause since the last take. */
  refusals: Record<string, string> = {};
  readonly conns: Subscriber[] = [];
  stopping = false;
  private readonly options: ClientConfig;
  private readonly share: WorkerShare;
  private readonly servers: ServerAddress[];
  private readonly protocol: RunProtocol;
  private readonly clock: Clock;
  private readonly ctx: SubscriberContext;
  private readonly plan: AddressPlan;
  private readonly subjects: SubjectPlan;
  private readonly topic: (subject: string) => string;
  private readonly g: ClientGauges;
  /** Event streams: they resume from Last-Event-ID, and what a resume recovered is counted. */
  private readonly resumes: boolean;

  /** `wasm`: record latencies into WebAssembly histograms (loaded by the caller). */
  constructor(config: ClientWorkerConfig, protocol: RunProtocol, clock: Clock, wasm = false) {
    const options = config.options;
    this.options = options;
    this.share = workerShareOf(options, config.instanceIndex, config.workers, config.workerId);
    this.servers = serversOf(options, protocol);
    this.protocol = protocol;
    this.clock = clock;
    this.g = emptyGauges(this.share.count);
    this.sink = new MessageSink(clock, options.latencyFrom, wasm, options.warmup);
    this.plan = addressPlanOf(options, this.servers, config.blockedPorts);
    this.subjects = subjectPlanOf(options);
    this.topic = protocol.topic;
    this.resumes = options.transport === 'sse';
    this.ctx = this.contextOf(config, protocol, clock);
    // The measuring path optimised before the first message (a connection that never opens).
    const scratch = new Subscriber(this.ctx, -1);
    scratch.subjects = '/mdbench/warm-up';
    this.sink.warmUp(
      scratch,
      '/mdbench/warm-up',
      WARM_MESSAGES,
      options.transport === 'sse'
        ? (nowUs) => warmEventStream(WARM_MESSAGES, nowUs, (data) => this.sink.message(scratch, '/mdbench/warm-up', data))
        : undefined,
    );
    this.ramp = new Ramp(
      {
        // The open model's connections come by arrivals, not by the ramp.
        count: options.arrivalRate === undefined ? this.share.count : 0,
        // The coordinator's rate and pending bound, shared between the workers.
        connectRate: options.connectRate / config.workers,
        maxPending: Math.max(1, Math.floor(options.maxPending / config.workers)),
        handshakeTimeoutMs: options.handshakeTimeout * 1000,
        backoff: { baseMs: options.reconnectMin * 1000, maxMs: options.reconnectMax * 1000 },
      },
      clock,
      (k) => this.create(k),
      (c) => this.open(c),
    );
    ({ publishing: this.publishing, requests: this.requests } = trafficOf(options, protocol, clock, this.sink));
    this.lifetime = options.lifetime ? parseLifetime(options.lifetime) : null;
    this.arrivals =
      options.arrivalRate === undefined
        ? null
        : new Arrivals({
            ratePerSec: options.arrivalRate / config.workers,
            ceiling: this.share.count,
            clock,
            create: (k) => this.create(k),
            start: (c) => this.ramp.startNow(c),
            refused: () => increment(this.sink.counters, 'arrivalsRefused'),
          });
    this.keepalives = keepaliveWheelOf(protocol, clock);
  }

  /** The settings and handlers every connection of the worker shares. */
  private contextOf(config: ClientWorkerConfig, protocol: RunProtocol, clock: Clock): SubscriberContext {
    const options = config.options;
    return {
      readBuffer: Buffer.allocUnsafe(options.bufferSize),
      maxPayload: MAX_PAYLOAD,
      mask: options.mask,
      text: protocol.text,
      path: this.servers[0].path,
      subprotocol: protocol.subprotocol,
      headers: options.token ? { Authorization: `Bearer ${options.token}` } : undefined,
      // The coordinator checked the files before starting the workers.
      tls: clientTlsFor(this.servers, options, () => ({ file: 'worker configuration' })),
      nowMs: () => clock.monotonicMs(),
      deflate: deflateOfferOf(options),
      deflateCounters: this.sink.counters,
      transport: options.transport === 'sse' ? 'sse' : 'websocket',
      // The subscription is the URL: a connection opens its one topic's path.
      pathOf: protocol.can.subscribeByPath ? (c) => c.topics[0] : undefined,
      // One value for the worker: a server asks every stream for the same delay.
      onRetry: (ms) => {
        this.ramp.serverRetryMs = Math.min(ms, options.reconnectMax * 1000);
      },
      events: this,
      protocol,
      sessions: this,
      clientIdBase: `${options.clientIdPrefix}-${config.instanceIndex + 1}-${config.workerId}`,
    };
  }

  /** The worker's k-th connection, with the subjects the plan gives its fleet number. */
  private create(k: number): Subscriber {
    const c = new Subscriber(this.ctx, this.share.from + k);
    const list = this.subjects.subjectsOf(c.index).map(this.topic);
    c.subjects = list.length === 1 ? list[0] : list;
    this.conns.push(c);
    // An arrival after the traffic started publishes and requests too.
    this.publishing?.schedule.add(c);
    this.requests?.schedule.add(c);
    return c;
  }

  /** (Re)opens a connection from its planned local address and port. */
  private open(c: Subscriber): void {
    if (this.g.firstConnectMs === 0) this.g.firstConnectMs = Math.floor(this.clock.nowUs() / 1000);
    this.g.attempts++;
    const local = c.index - this.share.instanceFrom;
    const server = this.servers[local % this.servers.length];
    c.open(
      { host: server.host, port: server.port, tls: server.tls, localAddress: this.plan.addressOf(local), localPort: this.plan.portOf(local) },
      this.clock.monotonicMs(),
    );
  }

  // --- WebSocket events ---

  onOpen(c: Subscriber): void {
    // Still in the ramp's pending set: the session is not established until subscribed.
    this.g.open++;
    const nowUs = this.clock.nowUs();
    this.g.lastOpenMs = Math.floor(nowUs / 1000);
    if (this.resumes) c.openedAtUs = nowUs;
    if (c.downSinceMs > 0) {
      increment(this.sink.counters, 'reconnects');
      increment(this.sink.counters, 'downMs', Math.round(this.clock.monotonicMs() - c.downSinceMs));
      c.downSinceMs = 0;
    }
    c.attempt = 0;
    c.openedAtMs = this.clock.monotonicMs();
    c.resetSession();
    this.protocol.open(c);
  }

  onPhase(_c: Subscriber, phase: 'tcp' | 'tls' | 'upgrade', ms: number): void {
    this.sink.phase(phase, ms);
  }

  onTls(_c: Subscriber, resumed: boolean): void {
    increment(this.sink.counters, resumed ? 'tlsResumed' : 'tlsFull');
  }

  onRead(c: Subscriber): void {
    c.heard = true;
    this.sink.arrived();
  }

  onMessage(c: Subscriber, _opcode: number, payload: Buffer): void {
    this.protocol.receive(c, payload);
  }

  onClose(c: Subscriber, cause: string, _detail: string, phase: ConnectPhase | null): void {
    this.ramp.settled(c);
    // An attempt that failed before its subscriptions were acknowledged, counted by the phase it reached.
    if (cause !== 'local' && c.level < Level.SUBSCRIBED) increment(this.sink.counters, failedCounter(phase ?? 'session'));
    if (c.level >= Level.OPEN) {
      this.g.open--;
      increment(this.sink.counters, 'disconnects');
      c.downSinceMs = this.clock.monotonicMs();
    }
    if (c.level >= Level.CONNECTED) this.g.connected--;
    if (c.level >= Level.SUBSCRIBED) this.g.subscribed--;
    c.level = Level.NONE;
    c.keepaliveAtMs = 0;
    c.lifeEndMs = 0;
    c.carry = null;
    if (cause === 'lifetime') {
      // Its own clean close, not an error.
      c.closedItself = true;
      if (this.stopping) return;
      // The open model's connection leaves for good (its slot is free, not down: a later arrival on
      // it is a new connection, not a reconnect); the closed model's slot connects again at once.
      if (this.arrivals) {
        c.downSinceMs = 0;
        return this.arrivals.leave(c);
      }
      this.ramp.again(c);
      this.wake();
      return;
    }
    if (cause === 'local') return;
    // A drop of our own making (--drop-all-at) is counted, not an error; it reconnects as any drop does.
    if (cause === 'dropped') increment(this.sink.counters, 'dropsMade');
    else increment(this.errors, cause);
    if (this.stopping) return;
    if (this.options.reconnect) this.ramp.retry(c);
    else this.g.failed++;
  }

  // --- protocol session events ---

  connected(c: Subscriber): void {
    if (c.level >= Level.CONNECTED) return;
    c.level = Level.CONNECTED;
    this.g.connected++;
    this.keepalives.add(c);
  }

  subscribed(c: Subscriber): void {
    if (c.level >= Level.SUBSCRIBED) return;
    if (c.level < Level.CONNECTED) this.connected(c);
    c.level = Level.SUBSCRIBED;
    const now = this.clock.monotonicMs();
    if (c.openedAtMs > 0) this.sink.phase('session', now - c.openedAtMs);
    const startedMs = this.ramp.pending.get(c);
    if (startedMs !== undefined) this.sink.phase('connect', now - startedMs);
    this.ramp.succeeded(c);
    this.g.subscribed++;
    if (c.closedItself) {
      c.closedItself = false;
      c.rejoined();
    }
    if (this.lifetime) {
      c.lifeEndMs = now + sampleLifetimeMs(this.lifetime, Math.random);
      this.lives.add(c, c.lifeEndMs);
    }
    this.g.lastSubscribedMs = Math.floor(this.clock.nowUs() / 1000);
  }

  message(c: Subscriber, topic: string, payload: Buffer): void {
    const sentUs = this.sink.message(c, topic, payload);
    // An event stream that resumed from Last-Event-ID gets what was sent while it was away: counted apart.
    if (sentUs >= 0 && sentUs < c.openedAtUs) increment(this.sink.counters, 'resumed');
  }

  stamped(c: Subscriber, topic: string, stamp: Stamp, payloadBytes: number): void {
    this.sink.stamped(c, topic, stamp, payloadBytes);
  }

  answered(c: Subscriber, id: number): void {
    if (this.requests) this.requests.answered(c, id);
    else increment(this.sink.counters, 'lateReplies');
  }

  refused(_c: Subscriber, rawCause: string, detail: string): void {
    increment(this.sink.counters, 'refused');
    const cause = safeText(rawCause, 80);
    if (!Object.hasOwn(this.refusals, cause)) this.refusals[cause] = safeText(detail);
  }

  error(_c: Subscriber, rawCause: string, detail: string): void {
    increment(this.sink.counters, 'serverErrors');
    const cause = safeText(rawCause, 80);
    increment(this.errors, cause);
    if (!Object.hasOwn(this.refusals, cause)) this.refusals[cause] = safeText(detail);
  }

  malformed(): void {
    increment(this.sink.counters, 'malformed');
  }

  // --- driven by the owner ---

  /** Asks the owner for a ramp tick soon (a connection that closed itself waits for no idle tick). */
  wake: () => void = () => {};

  /** The run is ending: connections stop closing themselves (those reconnecting come back). */
  livesOver = false;

  /** Closes the connections whose lifetime has ended (--lifetime). */
  endLives(): void {
    if (!this.lifetime || this.stopping || this.livesOver) return;
    const now = this.clock.monotonicMs();
    for (const c of this.lives.takeDue(now, Number.POSITIVE_INFINITY)) {
      // A connection that dropped meanwhile has a new life (or none) of its own.
      if (c.level !== Level.SUBSCRIBED || c.lifeEndMs === 0 || c.lifeEndMs > now) continue;
      c.lifeEndMs = 0;
      increment(this.sink.counters, 'lifetimeEnds');
      c.retire('lifetime', 'its lifetime ended');
    }
  }

  /** Connections by state now. */
  gauges(): ClientGauges {
    return { ...this.g, connecting: this.ramp.pending.size, reconnecting: this.ramp.retries.size };
  }

  /** Errors and refusal details since the last take. */
  takeErrors(): { errors: Counters; refusals: Record<string, string> } {
    const out = { errors: takeCounters(this.errors), refusals: this.refusals };
    this.refusals = {};
    return out;
  }

  /** A reconnect storm of our own making: every connection dropped at once (reset), each reconnecting by its backoff. */
  dropAll(): void {
    for (const c of this.conns) if (c.socket && c.state !== WsState.CLOSED) c.abort('dropped', '--drop-all-at');
  }

  /** Stops reconnecting and closes every socket at once. */
  destroyAll(): void {
    this.stopping = true;
    for (const c of this.conns) if (c.socket && c.state !== WsState.CLOSED) c.socket.destroy();
  }
}

/** The connections' own traffic: publishing (--publish-rate) and requests (--request-rate), each null when off. */
function trafficOf(
  options: ClientConfig,
  protocol: RunProtocol,
  clock: Clock,
  sink: MessageSink,
): { publishing: ClientPublishing | null; requests: ClientRequests | null } {
  const { messageSize } = options;
  return {
    publishing: options.publishRate > 0 ? new ClientPublishing({ protocol, rate: options.publishRate, messageSize, clock, counters: sink.counters }) : null,
    requests:
      options.requestRate > 0
        ? new ClientRequests({
            protocol,
            rate: options.requestRate,
            timeoutS: options.requestTimeout,
            messageSize,
            clock,
            counters: sink.counters,
            rtt: sink.rtt,
          })
        : null,
  };
}

/** The worker's keepalives (an event stream's idle check), by what the protocol says of them. */
function keepaliveWheelOf(protocol: RunProtocol, clock: Clock): KeepaliveWheel {
  const ms = protocol.keepaliveMs;
  const dead = !protocol.keepaliveAnswered
    ? null
    : protocol.can.subscribeByPath
      ? (c: Subscriber) => c.abort('idle-timeout', `nothing heard from the server, no event and no comment, for ${((ms * 2) / 1000).toFixed(0)} s`)
      : (c: Subscriber) => c.abort('keepalive-timeout', `nothing heard from the server for ${(ms / 1000).toFixed(0)} s after a keepalive`);
  return new KeepaliveWheel(ms, clock, (c) => protocol.keepalive?.(c), dead);
}
