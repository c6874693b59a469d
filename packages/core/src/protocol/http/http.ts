import { destinationOf } from '../stomp/stomp.js';
import { ProtocolOptionError, type Protocol, type ProtocolModule, type ProtocolOptions, type Session } from '../protocol.js';

/** The default URL a subject's messages are posted to (Nchan's `/pub/` location, mdbench-server's). */
export const DEFAULT_PUBLISH_PATH = '/pub/{subject}';

/** Requests a connection keeps in flight (pipelined) when --window sets none. */
const DEFAULT_WINDOW = 64;

/**
 * Publishing by HTTP POST (Nchan's publisher location, mdbench-server's `POST /pub/SUBJECT`): each
 * message is one request, `Content-Length` its payload (the text stamp first), sent one after
 * another on a keep-alive connection; each response acknowledges one request in order (a 2xx, or
 * an error counted as `http-STATUS`), at most `--window` in flight.
 */
class HttpProtocol implements Protocol {
  readonly name = 'http';
  readonly text = true;
  readonly stamp = 'text' as const;
  readonly window: number;
  private readonly template: string;
  private readonly auth: string;

  constructor(o: ProtocolOptions) {
    this.template = o.publishPath ?? DEFAULT_PUBLISH_PATH;
    if (!this.template.startsWith('/')) throw new ProtocolOptionError('publishPath', `--publish-path ${JSON.stringify(this.template)} must start with /`);
    if (o.role !== 'publisher') throw new ProtocolOptionError('transport', 'HTTP transport publishes only: it cannot subscribe or answer requests');
    this.window = o.window > 0 ? o.window : DEFAULT_WINDOW;
    this.auth = o.token ? `Authorization: Bearer ${o.token}\r\n` : '';
  }

  topic(subject: string): string {
    return destinationOf(this.template, subject);
  }

  open(s: Session): void {
    s.connected();
  }

  receive(s: Session, data: Buffer): void {
    const status = Number(data.toString('latin1'));
    s.acked();
    if (status < 200 || status > 299) s.error(`http-${status}`, `POST answered ${status}`);
  }

  private head(topic: string, payloadBytes: number): string {
    return `POST ${topic} HTTP/1.1\r\nHost: mdbench\r\n${this.auth}Content-Type: text/plain\r\nContent-Length: ${payloadBytes}\r\n\r\n`;
  }

  publishBytes(topic: string, payloadBytes: number): number {
    return Buffer.byteLength(this.head(topic, payloadBytes), 'latin1') + payloadBytes;
  }

  writePublish(out: Buffer, at: number, _s: Session, topic: string, payload: Buffer): number {
    const n = out.write(this.head(topic, payload.length), at, 'latin1');
    payload.copy(out, at + n);
    return at + n + payload.length;
  }
}

export const http: ProtocolModule = { create: (o) => new HttpProtocol(o) };
