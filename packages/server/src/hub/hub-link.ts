import net from 'node:net';
import { messageSubject } from '@mdbench/core/worker';
import { HubBatcher, HubKind, HubReader, encodeHub } from './codec.js';

/**
 * A worker's end of the hub: its publishes go to the primary (which forwards them to the workers
 * holding subscribers), publishes from other workers come back to `deliver`. Subjects the primary
 * said nobody else holds are not sent until it says otherwise.
 */
export class HubLink {
  private readonly out: HubBatcher;
  private readonly localOnly = new Set<string>();
  private readonly sock: net.Socket;

  constructor(path: string, workerId: number, deliver: (message: Buffer, subject: string) => void, onError: (err: Error) => void) {
    const sock = net.connect(path);
    this.sock = sock;
    sock.setNoDelay(true);
    this.out = new HubBatcher((data) => sock.write(data));
    const hello = Buffer.alloc(2);
    hello.writeUInt16BE(workerId);
    this.out.push(encodeHub(HubKind.HELLO, hello));
    const reader = new HubReader((kind, body) => {
      if (kind === HubKind.PUBLISH) deliver(body, messageSubject(body));
      else if (kind === HubKind.LOCAL_ONLY) this.localOnly.add(body.toString('utf8'));
      else if (kind === HubKind.REMOTE) this.localOnly.delete(body.toString('utf8'));
    });
    sock.on('data', (d) => reader.push(d));
    sock.on('error', onError);
  }

  /** A message published here: to the other workers unless none of them holds its subject. */
  publish(message: Buffer, subject: string): void {
    if (!this.localOnly.has(subject)) this.out.push(encodeHub(HubKind.PUBLISH, message));
  }

  interest(add: boolean, subject: string): void {
    this.out.push(encodeHub(add ? HubKind.INTEREST_ADD : HubKind.INTEREST_DEL, Buffer.from(subject, 'utf8')));
  }

  close(): void {
    this.sock.destroy();
  }
}
