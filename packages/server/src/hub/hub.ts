import net from 'node:net';
import { rmSync } from 'node:fs';
import { messageSubject } from '@mdbench/core/worker';
import { HubBatcher, HubKind, HubReader, encodeHub } from './codec.js';

/**
 * The primary's end of the worker mesh: a Unix socket every worker connects to. A message published
 * on one worker is forwarded, as the same bytes, only to the workers that hold a subscriber for its
 * subject; each link is a FIFO stream, so order per subject is kept. A worker that publishes to a
 * subject nobody else holds is told so (LOCAL_ONLY) and stops sending it, until another worker takes
 * a subscriber for it (REMOTE).
 */
export class Hub {
  readonly path: string;
  /** Messages forwarded worker to worker, and messages that came in for nobody else. */
  forwarded = 0;
  unrouted = 0;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly links = new Map<number, HubBatcher>();
  private readonly interest = new Map<string, Set<number>>();
  /** Workers told LOCAL_ONLY for a subject, to be told REMOTE when someone else subscribes. */
  private readonly told = new Map<string, Set<number>>();

  constructor(path: string) {
    this.path = path;
    rmSync(path, { force: true });
    this.server = net.createServer((sock) => this.accept(sock));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.path, () => resolve());
    });
  }

  /** Workers holding a subscriber of `subject` (tests and the monitor). */
  holders(subject: string): number[] {
    return [...(this.interest.get(subject) ?? [])];
  }

  private publish(from: number, body: Buffer): void {
    const subject = messageSubject(body);
    const targets = this.interest.get(subject);
    let sent = 0;
    if (targets) {
      for (const w of targets) {
        if (w === from) continue;
        this.links.get(w)?.push(encodeHub(HubKind.PUBLISH, body));
        sent++;
      }
    }
    this.forwarded += sent;
    if (sent > 0) return;
    this.unrouted++;
    let set = this.told.get(subject);
    if (!set) this.told.set(subject, (set = new Set()));
    if (!set.has(from)) {
      set.add(from);
      this.links.get(from)?.push(encodeHub(HubKind.LOCAL_ONLY, Buffer.from(subject, 'utf8')));
    }
  }

  private addInterest(id: number, subject: string): void {
    let set = this.interest.get(subject);
    if (!set) this.interest.set(subject, (set = new Set()));
    set.add(id);
    const told = this.told.get(subject);
    if (!told) return;
    for (const w of told) if (w !== id) this.links.get(w)?.push(encodeHub(HubKind.REMOTE, Buffer.from(subject, 'utf8')));
    // The holder itself may keep its LOCAL_ONLY: for it the subject is still local.
    if (told.has(id)) this.told.set(subject, new Set([id]));
    else this.told.delete(subject);
  }

  private dropInterest(id: number, subject: string): void {
    const set = this.interest.get(subject);
    set?.delete(id);
    if (set?.size === 0) this.interest.delete(subject);
  }

  private accept(sock: net.Socket): void {
    sock.setNoDelay(true);
    this.sockets.add(sock);
    let id = -1;
    const out = new HubBatcher((data) => sock.write(data));
    const reader = new HubReader((kind, body) => {
      switch (kind) {
        case HubKind.HELLO:
          id = body.readUInt16BE(0);
          this.links.set(id, out);
          return;
        case HubKind.PUBLISH:
          return this.publish(id, body);
        case HubKind.INTEREST_ADD:
          return this.addInterest(id, body.toString('utf8'));
        case HubKind.INTEREST_DEL:
          return this.dropInterest(id, body.toString('utf8'));
      }
    });
    sock.on('data', (d) => reader.push(d));
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      this.sockets.delete(sock);
      if (this.links.get(id) === out) this.links.delete(id);
      for (const [subject, set] of this.interest) {
        set.delete(id);
        if (set.size === 0) this.interest.delete(subject);
      }
      for (const [subject, set] of this.told) {
        set.delete(id);
        if (set.size === 0) this.told.delete(subject);
      }
    });
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
    rmSync(this.path, { force: true });
  }
}
