import { createHash } from 'node:crypto';
import type { OptionSpec } from './option-spec.js';

/**
 * A short digest of a resolved configuration, so that the logs of one fleet can be checked to come
 * from the same settings. Secrets (tokens, passwords) are left out: 48 bits of a hash of a password
 * in a log file are guessed offline.
 */
export function configDigest(cfg: Record<string, unknown>, specs: readonly OptionSpec[]): string {
  const secret = new Set(specs.filter((s) => s.secret).map((s) => s.name));
  const shown = Object.fromEntries(Object.entries(cfg).filter(([k]) => !secret.has(k)));
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 12);
}
