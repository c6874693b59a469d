import { SessionConnection, increment, safeText, type WsClientConnection, type WsClientContext } from '@mdbench/core/internal';
import type { PublisherLinks } from './links.js';

/** A publisher's topics: none (one array for every connection, not one a call). */
const NO_TOPICS: readonly string[] = [];

/** One publisher connection and its protocol session. */
export class PublisherConnection extends SessionConnection {
  /** The protocol session is established: publishing may go on. */
  ready = false;
  /** QoS 1 publishes not yet acknowledged. */
  inflight = 0;
  /** When the current attempt began (monotonic ms), 0 once its session is up. */
  attemptAtMs = 0;
  /** Since when publishes have waited for an acknowledgement with none arriving (monotonic ms), 0: none waiting. */
  ackWaitMs = 0;
  private readonly links: PublisherLinks;

  constructor(ctx: WsClientContext<PublisherConnection>, links: PublisherLinks, index: number) {
    super(ctx as unknown as WsClientContext<WsClientConnection>, index);
    this.links = links;
  }

  get role(): 'publisher' | 'responder' {
    return this.links.responder ? 'responder' : 'publisher';
  }

  /** A publisher subscribes to nothing; a responder to the topics it answers on. */
  get topics(): readonly string[] {
    return this.links.responder?.topics ?? NO_TOPICS;
  }

  override request(replyTo: string, payload: Buffer): void {
    this.links.responder?.onRequest(this, replyTo, payload);
  }

  get clientId(): string {
    return `${this.links.clientIdBase}-${this.index}`;
  }

  override connected(): void {
    this.links.sessionUp(this);
  }

  override acked(): void {
    if (this.inflight > 0) this.inflight--;
    this.ackWaitMs = 0;
    this.links.acked++;
  }

  protected refused(cause: string, detail: string): void {
    this.links.refused++;
    this.links.note(cause, detail);
  }

  override error(rawCause: string, detail = ''): void {
    this.links.serverErrors++;
    const cause = safeText(rawCause, 80);
    increment(this.links.errors, cause);
    this.links.note(cause, detail);
  }

  override malformed(): void {
    increment(this.links.errors, 'malformed');
  }
}
