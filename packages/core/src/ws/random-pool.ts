import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let at = POOL_BYTES;

/** `n` cryptographically random bytes copied into `target` at `offset`, from a pool refilled in 8 KiB blocks. */
export function fillRandom(target: Buffer, offset: number, n: number): void {
  if (at + n > POOL_BYTES) {
    randomFillSync(pool);
    at = 0;
  }
  // Byte by byte: Buffer#copy allocates a view per call, which matters at 10^5 frames/s.
  for (let i = 0; i < n; i++) target[offset + i] = pool[at + i];
  at += n;
}
