import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random printable characters to cut payloads from: each message copies `size` bytes from a random
 * offset, so payloads differ without generating random bytes per message.
 */
export class PayloadPool {
  readonly bytes: Buffer;
  readonly size: number;

  constructor(size: number, poolBytes = Math.max(64 * 1024, size * 4)) {
    this.size = size;
    this.bytes = Buffer.allocUnsafe(poolBytes + size);
    randomFillSync(this.bytes);
    for (let i = 0; i < this.bytes.length; i++) this.bytes[i] = ALPHABET.charCodeAt(this.bytes[i] % ALPHABET.length);
  }

  /** A random offset at which `size` bytes can be taken. */
  offset(rand: () => number): number {
    return Math.floor(rand() * (this.bytes.length - this.size + 1));
  }
}
