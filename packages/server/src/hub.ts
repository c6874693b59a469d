import net from 'node:net';
import { rmSync } from 'node:fs';
import { messageSubject } from '@mdbench/core';
import { HubBatcher, HubKind, HubReader, encodeHub } from './hub-codec.js';

/**
 * The primary's end of the worker mesh: a Unix socket every worker connects to. A message published
 * on one worker is forwarded, as the same bytes, only to the workers that hold a subscriber for its
 * subject; each link is a FIFO stream, so order per subject is kept.
 */
export class Hub {
  readonly path: string;
  /** Messages forwarded worker to worker. */
  forwarded = 0;
  private readonly server: net.Server;
  private readonly links = new Map<number, HubBatcher>();
  private readonly interest = new Map<string, Set<number>>();

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

  private accept(sock: net.Socket): void {
    sock.setNoDelay(true);
    let id = -1;
    const out = new HubBatcher((data) => sock.write(data));
    const reader = new HubReader((kind, body) => {
      switch (kind) {
        case HubKind.HELLO:
          id = body.readUInt16BE(0);
          this.links.set(id, out);
          return;
        case HubKind.PUBLISH: {
          const targets = this.interest.get(messageSubject(body));
          if (!targets) return;
          for (const w of targets) {
            if (w === id) continue;
            this.links.get(w)?.push(encodeHub(HubKind.PUBLISH, body));
            this.forwarded++;
          }
          return;
        }
        case HubKind.INTEREST_ADD: {
          const subject = body.toString('utf8');
          let set = this.interest.get(subject);
          if (!set) this.interest.set(subject, (set = new Set()));
          set.add(id);
          return;
        }
        case HubKind.INTEREST_DEL: {
          const subject = body.toString('utf8');
          const set = this.interest.get(subject);
          set?.delete(id);
          if (set?.size === 0) this.interest.delete(subject);
        }
      }
    });
    sock.on('data', (d) => reader.push(d));
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      if (this.links.get(id) === out) this.links.delete(id);
      for (const [subject, set] of this.interest) {
        set.delete(id);
        if (set.size === 0) this.interest.delete(subject);
      }
    });
  }

  close(): void {
    this.server.close();
    rmSync(this.path, { force: true });
  }
}
