import { destinationOf } from '../stomp/stomp.js';
import { ProtocolOptionError, type Protocol, type ProtocolModule, type ProtocolOptions, type Session } from '../protocol.js';

/** The default URL of a subject's stream (Nchan's `/sub/` location, mdbench-server's SSE path). */
export const DEFAULT_SSE_PATH = '/sub/{subject}';

/**
 * Subscribers whose subscription is the URL they open (an event stream, or a WebSocket to a channel
 * URL such as Nchan's): no session to start, each event or WebSocket message is one message of the
 * connection's subject, its data starting with mdbench's text stamp. The topic of a subject is its
 * URL path (`--sse-path`), so one connection carries one subject.
 */
class PlainProtocol implements Protocol {
  readonly name = 'plain';
  readonly text = true;
  readonly stamp = 'text' as const;
  readonly subscribeByPath = true;
  /**
   * Idle detection (--idle-timeout): every half of it the worker's wheel checks that something
   * was heard since the last check (the keepalive itself sends nothing), so a silent stream is
   * dropped after between half and all of it.
   */
  readonly keepaliveMs: number;
  readonly keepaliveAnswered = true;
  private readonly template: string;

  constructor(o: ProtocolOptions) {
    this.keepaliveMs = ((o.idleS ?? 0) * 1000) / 2;
    this.template = o.ssePath ?? DEFAULT_SSE_PATH;
    if (!this.template.startsWith('/')) throw new ProtocolOptionError('ssePath', `--sse-path ${JSON.stringify(this.template)} must start with /`);
    if (!/\{(subject|dotted)\}/.test(this.template))
      throw new ProtocolOptionError('ssePath', `--sse-path ${JSON.stringify(this.template)} names no subject: use {subject} or {dotted}`);
    if (o.role !== 'subscriber')
      throw new ProtocolOptionError('protocol', 'plain subscribers take messages only: publish with mdbench-publisher --transport http');
  }

  topic(subject: string): string {
    return destinationOf(this.template, subject);
  }

  keepalive(): void {}

  open(s: Session): void {
    s.connected();
    s.subscribed();
  }

  receive(s: Session, data: Buffer): void {
    s.message(s.topics[0], data);
  }

  publishBytes(_topic: string, payloadBytes: number): number {
    return payloadBytes;
  }

  writePublish(out: Buffer, at: number, _s: Session, _topic: string, payload: Buffer): number {
    payload.copy(out, at);
    return at + payload.length;
  }
}

export const plain: ProtocolModule = { create: (o) => new PlainProtocol(o) };
