import { WsClientConnection, backoffDelayMs, increment, takeCounters, type Carry, type Clock, type Counters, type Protocol, type ServerAddress, type Session, type WsClientContext } from '@mdbench/core';

/** One publisher connection and its protocol session. */
export class PublisherConnection extends WsClientConnection implements Session {
  readonly index: number;
  readonly topics: readonly string[] = [];
  phase = 0;
  carry: Buffer | Carry | null = null;
  data: unknown = undefined;
  /** The protocol session is established: publishing may go on. */
  ready = false;
  /** QoS 1 publishes not yet acknowledged. */
  inflight = 0;
  private readonly links: PublisherLinks;

  constructor(ctx: WsClientContext<PublisherConnection>, links: PublisherLinks, index: number) {
    super(ctx);
    this.links = links;
    this.index = index;
  }

  get role(): 'publisher' {
    return 'publisher';
  }

  get clientId(): string {
    return `${this.links.clientIdBase}-${this.index}`;
  }

  connected(): void {
    this.links.sessionUp(this);
  }

  subscribed(): void {}
  message(): void {}
  stamped(): void {}

  acked(): void {
    if (this.inflight > 0) this.inflight--;
    this.links.acked++;
  }

  refuse(cause: string, detail = ''): void {
    this.links.refused++;
    this.links.note(cause, detail);
    this.close(1000, cause, detail);
  }

  error(cause: string, detail = ''): void {
    this.links.serverErrors++;
    increment(this.links.errors, cause);
    this.links.note(cause, detail);
  }

  malformed(): void {
    increment(this.links.errors, 'malformed');
  }

  drop(cause: string, detail = ''): void {
    this.close(1002, cause, detail);
  }
}

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
}

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
  /** Refusals by the server and errors it reported, since the start. */
  refused = 0;
  serverErrors = 0;
  private readonly servers: ServerAddress[];
  private readonly base: Omit<WsClientContext<PublisherConnection>, 'events'>;
  private readonly protocol: Protocol;
  private readonly policy: ReconnectPolicy;
  private readonly events: LinkEvents;
  private readonly clock: Clock;
  private readonly attempts = new Map<PublisherConnection, number>();
  private readonly downSince = new Map<PublisherConnection, number>();
  private readonly noted = new Set<string>();
  private keepalive: NodeJS.Timeout | null = null;
  private onAllUp: (() => void) | null = null;
  private closing = false;

  constructor(
    servers: ServerAddress[],
    base: Omit<WsClientContext<PublisherConnection>, 'events'>,
    protocol: Protocol,
    o: { policy: ReconnectPolicy; events: LinkEvents; clock: Clock; clientIdBase: string },
  ) {
    this.servers = servers;
    this.base = base;
    this.protocol = protocol;
    this.policy = o.policy;
    this.events = o.events;
    this.clock = o.clock;
    this.clientIdBase = o.clientIdBase;
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
      const timer = setTimeout(() => fail(`only ${this.conns.filter((c) => c.ready).length} of ${n} publisher connections ready within ${timeoutMs} ms`), timeoutMs);
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
            c.phase = 0;
            c.carry = null;
            c.data = undefined;
            c.inflight = 0;
            this.protocol.open(c);
          },
          onMessage: (c, _op, payload) => this.protocol.receive(c, payload),
          onClose: (c, cause, detail) => {
            c.ready = false;
            c.inflight = 0;
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
      const period = this.protocol.keepaliveMs ?? 0;
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
    const down = this.downSince.get(c);
    if (down !== undefined) {
      this.downSince.delete(c);
      this.attempts.delete(c);
      this.events.onReconnected(this.clock.monotonicMs() - down);
    }
    if (this.allReady) this.onAllUp?.();
  }

  /** Shows the first detail of each cause once. */
  note(cause: string, detail: string): void {
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
    c.open({ host: s.host, port: s.port }, this.clock.monotonicMs());
  }

  private retry(c: PublisherConnection): void {
    const attempt = this.attempts.get(c) ?? 0;
    this.attempts.set(c, attempt + 1);
    setTimeout(() => {
      if (!this.closing) this.connect(c);
    }, backoffDelayMs(attempt, { baseMs: this.policy.baseMs, maxMs: this.policy.maxMs })).unref();
  }

  close(): void {
    this.closing = true;
    if (this.keepalive) clearInterval(this.keepalive);
    for (const c of this.conns) c.close();
  }
}
