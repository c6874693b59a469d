import {
  WsState,
  backoffDelayMs,
  increment,
  safeText,
  takeCounters,
  type Clock,
  type Counters,
  type RunProtocol,
  type ServerAddress,
  type WsClientContext,
} from '@mdbench/core/internal';
import { PublisherConnection } from './publisher-connection.js';

export interface LinkEvents {
  /** A connection dropped (it will be reopened when reconnecting is on). */
  onLost(cause: string, detail: string): void;
  onReconnected(downMs: number): void;
  /** The first detail of a refusal or error cause. */
  onNote(cause: string, detail: string): void;
}

export interface ReconnectPolicy {
  enabled: boolean;
  baseMs: number;
  maxMs: number;
  /** Connect, upgrade and protocol session must finish within this, or the attempt is dropped. */
  sessionTimeoutMs: number;
  /** QoS 1: publishes waiting this long with no acknowledgement drop the connection. */
  ackTimeoutMs: number;
}

/** What a responder's connections do: subscribe to `topics` (as a group), answer each request with `onRequest`. */
export interface Responder {
  topics: readonly string[];
  onRequest(c: PublisherConnection, replyTo: string, payload: Buffer): void;
}

/** How often connection attempts and acknowledgements are checked against their timeouts. */
const WATCH_MS = 250;

/**
 * The publisher's connections (kernel-chosen local ports) and their protocol sessions. `open()`
 * resolves once every session is established; afterwards a dropped connection is reopened with
 * exponential backoff and full jitter while the pacer waits (its lag shows the outage).
 */
export class PublisherLinks {
  readonly conns: PublisherConnection[] = [];
  /** `prefix-pub-instance-publisherId`: a connection's client id adds its number. */
  readonly clientIdBase: string;
  /** Errors and refusals by cause since the last take; publishes acknowledged since the last take. */
  readonly errors: Counters = {};
  acked = 0;
  /** TLS handshakes of wss:// connections, full and resumed, since the start. */
  readonly tlsHandshakes: Counters = {};
  /** Refusals by the server and errors it reported, since the start. */
  refused = 0;
  serverErrors = 0;
  private readonly servers: ServerAddress[];
  private readonly base: Omit<WsClientContext<PublisherConnection>, 'events'>;
  private readonly protocol: RunProtocol;
  private readonly policy: ReconnectPolicy;
  private readonly events: LinkEvents;
  private readonly clock: Clock;
  private readonly attempts = new Map<PublisherConnection, number>();
  private readonly downSince = new Map<PublisherConnection, number>();
  private readonly noted = new Set<string>();
  private keepalive: NodeJS.Timeout | null = null;
  private watch: NodeJS.Timeout | null = null;
  private onAllUp: (() => void) | null = null;
  private closing = false;
  /** mdbench-publisher --respond: the topics the connections answer requests on, and what answers them. */
  readonly responder: Responder | null;

  constructor(
    servers: ServerAddress[],
    base: Omit<WsClientContext<PublisherConnection>, 'events'>,
    protocol: RunProtocol,
    options: { policy: ReconnectPolicy; events: LinkEvents; clock: Clock; clientIdBase: string; responder?: Responder },
  ) {
    this.responder = options.responder ?? null;
    this.servers = servers;
    this.base = base;
    this.protocol = protocol;
    this.policy = options.policy;
    this.events = options.events;
    this.clock = options.clock;
    this.clientIdBase = options.clientIdBase;
  }

  /** Every connection has its session up and nothing in the way of writing. */
  get allReady(): boolean {
    for (const c of this.conns) if (!c.ready) return false;
    return true;
  }

  /** Connections currently down. */
  get down(): number {
    return this.downSince.size;
  }

  /** QoS 1 publishes unacknowledged over all connections. */
  get inflight(): number {
    let n = 0;
    for (const c of this.conns) n += c.inflight;
    return n;
  }

  /** Bytes written to the connections' sockets and not yet handed to the kernel. */
  get backlogBytes(): number {
    let n = 0;
    for (const c of this.conns) n += c.socket?.writableLength ?? 0;
    return n;
  }

  /** Opens `n` connections; resolves once every session is up, rejects with the first failure or at the timeout. */
  open(n: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(
        () => fail(`only ${this.conns.filter((c) => c.ready).length} of ${n} publisher connections ready within ${timeoutMs} ms`),
        timeoutMs,
      );
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.close();
        reject(new Error(why));
      };
      this.onAllUp = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve();
      };
      const ctx: WsClientContext<PublisherConnection> = {
        ...this.base,
        events: {
          onOpen: (c) => {
            c.resetSession();
            c.inflight = 0;
            this.protocol.open(c);
          },
          onMessage: (c, _op, payload) => this.protocol.receive(c, payload),
          onTls: (_c, resumed) => increment(this.tlsHandshakes, resumed ? 'resumed' : 'full'),
          onClose: (c, cause, detail) => {
            c.ready = false;
            c.inflight = 0;
            c.ackWaitMs = 0;
            if (!settled) return fail(`publisher connection failed: ${cause}${detail ? ` (${detail})` : ''}`);
            if (cause === 'local' || this.closing) return;
            increment(this.errors, cause);
            if (!this.downSince.has(c)) {
              this.downSince.set(c, this.clock.monotonicMs());
              this.events.onLost(cause, detail);
            }
            if (this.policy.enabled) this.retry(c);
          },
        },
      };
      for (let j = 0; j < n; j++) {
        const c = new PublisherConnection(ctx, this, j);
        this.conns.push(c);
        this.connect(c);
      }
      this.watch = setInterval(() => this.checkTimeouts(), WATCH_MS);
      this.watch.unref();
      const period = this.protocol.keepaliveMs;
      if (period > 0) {
        this.keepalive = setInterval(() => {
          for (const c of this.conns) if (c.ready) this.protocol.keepalive?.(c);
        }, period);
        this.keepalive.unref();
      }
    });
  }

  /** A session came up (first time or after a reconnect). */
  sessionUp(c: PublisherConnection): void {
    c.ready = true;
    c.attemptAtMs = 0;
    const down = this.downSince.get(c);
    if (down !== undefined) {
      this.downSince.delete(c);
      this.attempts.delete(c);
      this.events.onReconnected(this.clock.monotonicMs() - down);
    }
    if (this.allReady) this.onAllUp?.();
  }

  /** Shows the first detail of each cause once. */
  note(rawCause: string, rawDetail: string): void {
    const cause = safeText(rawCause, 80);
    const detail = safeText(rawDetail);
    if (this.noted.has(cause)) return;
    this.noted.add(cause);
    this.events.onNote(cause, detail);
  }

  /** Errors by cause and acknowledgements since the last take. */
  take(): { errors: Counters; acked: number } {
    const out = { errors: takeCounters(this.errors), acked: this.acked };
    this.acked = 0;
    return out;
  }

  private connect(c: PublisherConnection): void {
    const s = this.servers[c.index % this.servers.length];
    c.attemptAtMs = this.clock.monotonicMs();
    c.open({ host: s.host, port: s.port, tls: s.tls }, c.attemptAtMs);
  }

  /**
   * Drops an attempt that has not brought its session up within the session timeout (a server
   * that accepts and never answers), and, with QoS 1, a connection whose publishes have waited an
   * ack timeout with none acknowledged: both reconnect like any dropped connection.
   */
  checkTimeouts(): void {
    const now = this.clock.monotonicMs();
    for (const c of this.conns) {
      if (c.socket === null) continue;
      if (!c.ready && c.attemptAtMs > 0 && now - c.attemptAtMs > this.policy.sessionTimeoutMs) {
        c.attemptAtMs = 0;
        c.abort(c.state < WsState.OPEN ? 'ETIMEDOUT' : 'session-timeout', `no session within ${this.policy.sessionTimeoutMs / 1000} s`);
      } else if (c.ready && c.inflight > 0) {
        if (c.ackWaitMs === 0) c.ackWaitMs = now;
        else if (now - c.ackWaitMs > this.policy.ackTimeoutMs) {
          c.ackWaitMs = 0;
          c.abort('ack-timeout', `${c.inflight} publishes unacknowledged for ${this.policy.ackTimeoutMs / 1000} s`);
        }
      }
    }
  }

  private retry(c: PublisherConnection): void {
    const attempt = this.attempts.get(c) ?? 0;
    this.attempts.set(c, attempt + 1);
    setTimeout(
      () => {
        if (!this.closing) this.connect(c);
      },
      backoffDelayMs(attempt, { baseMs: this.policy.baseMs, maxMs: this.policy.maxMs }),
    ).unref();
  }

  /**
   * The run is ending: each ready connection asks its server to confirm what it was sent and close
   * (the protocol's goodbye, STOMP's DISCONNECT receipt); resolves once they have closed or after
   * `timeoutMs`. Without a goodbye in the protocol, at once.
   */
  async farewell(timeoutMs: number): Promise<void> {
    const goodbye = this.protocol.goodbye;
    if (!goodbye) return;
    this.closing = true;
    const asked = this.conns.filter((c) => c.ready);
    for (const c of asked) goodbye(c);
    const until = this.clock.monotonicMs() + timeoutMs;
    while (asked.some((c) => c.ready) && this.clock.monotonicMs() < until) await new Promise((r) => setTimeout(r, 10));
  }

  close(): void {
    this.closing = true;
    if (this.keepalive) clearInterval(this.keepalive);
    if (this.watch) clearInterval(this.watch);
    for (const c of this.conns) c.close();
  }
}
