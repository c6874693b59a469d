import { WsClientConnection, backoffDelayMs, type ServerAddress, type WsClientContext } from '@mdbench/core';

export interface LinkEvents {
  /** A connection dropped (it will be reopened when reconnecting is on). */
  onLost(cause: string, detail: string): void;
  onReconnected(downMs: number): void;
}

export interface ReconnectPolicy {
  enabled: boolean;
  baseMs: number;
  maxMs: number;
}

/**
 * The publisher's connections (kernel-chosen local ports). `open()` resolves once every one is open;
 * afterwards a dropped connection is reopened with exponential backoff and full jitter while the
 * pacer waits (its lag shows the outage).
 */
export class PublisherLinks {
  readonly conns: WsClientConnection[] = [];
  private readonly servers: ServerAddress[];
  private readonly base: Omit<WsClientContext<WsClientConnection>, 'events'>;
  private readonly policy: ReconnectPolicy;
  private readonly events: LinkEvents;
  private readonly attempts = new Map<WsClientConnection, number>();
  private readonly downSince = new Map<WsClientConnection, number>();
  private closing = false;

  constructor(servers: ServerAddress[], base: Omit<WsClientContext<WsClientConnection>, 'events'>, policy: ReconnectPolicy, events: LinkEvents) {
    this.servers = servers;
    this.base = base;
    this.policy = policy;
    this.events = events;
  }

  open(n: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let opened = 0;
      let settled = false;
      const timer = setTimeout(() => fail(`only ${opened} of ${n} publisher connections opened within ${timeoutMs} ms`), timeoutMs);
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.close();
        reject(new Error(why));
      };
      const ctx: WsClientContext<WsClientConnection> = {
        ...this.base,
        events: {
          onOpen: (conn) => {
            const down = this.downSince.get(conn);
            if (down !== undefined) {
              this.downSince.delete(conn);
              this.attempts.delete(conn);
              this.events.onReconnected(performance.now() - down);
            }
            if (!settled && ++opened === n) {
              settled = true;
              clearTimeout(timer);
              resolve();
            }
          },
          onMessage: () => {},
          onClose: (conn, cause, detail) => {
            if (!settled) return fail(`publisher connection failed: ${cause}${detail ? ` (${detail})` : ''}`);
            if (cause === 'local' || this.closing) return;
            if (!this.downSince.has(conn)) {
              this.downSince.set(conn, performance.now());
              this.events.onLost(cause, detail);
            }
            if (this.policy.enabled) this.retry(conn);
          },
        },
      };
      for (let j = 0; j < n; j++) {
        const c = new WsClientConnection(ctx);
        this.conns.push(c);
        this.connect(c);
      }
    });
  }

  private connect(c: WsClientConnection): void {
    const s = this.servers[this.conns.indexOf(c) % this.servers.length];
    c.open({ host: s.host, port: s.port }, performance.now());
  }

  private retry(c: WsClientConnection): void {
    const attempt = this.attempts.get(c) ?? 0;
    this.attempts.set(c, attempt + 1);
    setTimeout(() => {
      if (!this.closing) this.connect(c);
    }, backoffDelayMs(attempt, { baseMs: this.policy.baseMs, maxMs: this.policy.maxMs })).unref();
  }

  /** Connections currently down. */
  get down(): number {
    return this.downSince.size;
  }

  close(): void {
    this.closing = true;
    for (const c of this.conns) c.close();
  }
}
