import {
  type AddressPlan,
  type SubjectPlan,
  WsState,
  increment,
  type Clock,
  type RunProtocol,
  type Stamp,
  type WsClientEvents,
  type ConnectPhase,
  type ServerAddress,
  warmEventStream,
} from '@mdbench/core/worker';
import { emptyGauges, failedCounter, type ClientGauges } from '@mdbench/core/stats';
import type { ClientWorkerConfig } from '../worker-config.js';
import type { ClientConfig } from '../options.js';
import { addressPlanOf, rampOptionsOf, serversOf, subjectPlanOf, workerShareOf, type WorkerShare } from '../connection-plan.js';
import type { KeepaliveWheel } from './keepalive-wheel.js';
import { MessageSink } from './message-sink.js';
import type { ClientPublishing } from './publishing.js';
import type { ClientRequests } from './requests.js';
import { Arrivals } from './arrivals.js';
import { ErrorTally } from './error-tally.js';
import { parseLifetime } from '../lifetime.js';
import { Lives } from './lives.js';
import { keepaliveWheelOf, trafficOf } from './traffic.js';
import { Ramp } from './ramp.js';
import { subscriberContextOf } from './subscriber-context.js';
import { Level, Subscriber, type SessionSink, type SubscriberContext } from './subscriber.js';

/** Synthetic messages the measuring path runs over before the first real one. */
const WARM_MESSAGES = 20_000;

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
  /** How long connections live (--lifetime), or null: until the run ends. */
  readonly lives: Lives | null;
  /** Connection errors and refusals by cause, with their first details, since the last take. */
  readonly errors = new ErrorTally();
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
  /** Connections by level, attempts and failures. */
  private readonly population: ClientGauges;
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
    this.population = emptyGauges(this.share.count);
    this.sink = new MessageSink(clock, options.latencyFrom, wasm, options.warmup);
    this.plan = addressPlanOf(options, this.servers, config.blockedPorts);
    this.subjects = subjectPlanOf(options);
    this.resumes = options.transport === 'sse';
    this.ctx = subscriberContextOf({
      config,
      protocol,
      clock,
      servers: this.servers,
      handlers: this,
      counters: this.sink.counters,
      // One value for the worker: a server asks every stream for the same delay.
      onRetry: (ms) => {
        this.ramp.serverRetryMs = Math.min(ms, options.reconnectMax * 1000);
      },
    });
    warmSink(this.sink, this.ctx, options.transport === 'sse');
    this.ramp = new Ramp(
      rampOptionsOf(options, this.share, config.workers),
      clock,
      (k) => this.create(k),
      (c) => this.open(c),
    );
    ({ publishing: this.publishing, requests: this.requests } = trafficOf(options, protocol, clock, this.sink));
    this.lives = options.lifetime ? new Lives(parseLifetime(options.lifetime), clock, this.sink.counters) : null;
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

  /** The worker's k-th connection, with the subjects the plan gives its fleet number. */
  private create(k: number): Subscriber {
    const c = new Subscriber(this.ctx, this.share.from + k);
    const list = this.subjects.subjectsOf(c.index).map(this.protocol.topic);
    c.subjects = list.length === 1 ? list[0] : list;
    this.conns.push(c);
    // An arrival after the traffic started publishes and requests too.
    this.publishing?.schedule.add(c);
    this.requests?.schedule.add(c);
    return c;
  }

  /** (Re)opens a connection from its planned local address and port. */
  private open(c: Subscriber): void {
    if (this.population.firstConnectMs === 0) this.population.firstConnectMs = Math.floor(this.clock.nowUs() / 1000);
    this.population.attempts++;
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
    this.population.open++;
    const nowUs = this.clock.nowUs();
    this.population.lastOpenMs = Math.floor(nowUs / 1000);
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
      this.population.open--;
      increment(this.sink.counters, 'disconnects');
      c.downSinceMs = this.clock.monotonicMs();
    }
    if (c.level >= Level.CONNECTED) this.population.connected--;
    if (c.level >= Level.SUBSCRIBED) this.population.subscribed--;
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
    else this.errors.error(cause);
    if (this.stopping) return;
    if (this.options.reconnect) this.ramp.retry(c);
    else this.population.failed++;
  }

  // --- protocol session events ---

  connected(c: Subscriber): void {
    if (c.level >= Level.CONNECTED) return;
    c.level = Level.CONNECTED;
    this.population.connected++;
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
    this.population.subscribed++;
    if (c.closedItself) {
      c.closedItself = false;
      c.rejoined();
    }
    this.lives?.begin(c, now);
    this.population.lastSubscribedMs = Math.floor(this.clock.nowUs() / 1000);
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

  refused(_c: Subscriber, cause: string, detail: string): void {
    increment(this.sink.counters, 'refused');
    this.errors.refusal(cause, detail);
  }

  error(_c: Subscriber, cause: string, detail: string): void {
    increment(this.sink.counters, 'serverErrors');
    this.errors.error(cause, detail);
  }

  malformed(): void {
    increment(this.sink.counters, 'malformed');
  }

  // --- driven by the owner ---

  /** Asks the owner for a ramp tick soon (a connection that closed itself waits for no idle tick). */
  wake: () => void = () => {};

  /** Connections by state now. */
  gauges(): ClientGauges {
    return { ...this.population, connecting: this.ramp.pending.size, reconnecting: this.ramp.retries.size };
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

/** The measuring path optimised before the first message, through a connection that never opens. */
function warmSink(sink: MessageSink, ctx: SubscriberContext, sse: boolean): void {
  const scratch = new Subscriber(ctx, -1);
  const topic = '/mdbench/warm-up';
  scratch.subjects = topic;
  const streams = sse ? (nowUs: number) => warmEventStream(WARM_MESSAGES, nowUs, (data) => sink.message(scratch, topic, data)) : undefined;
  sink.warmUp(scratch, topic, WARM_MESSAGES, streams);
}
