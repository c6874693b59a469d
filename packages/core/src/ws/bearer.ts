import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries `token` as a Bearer token, compared in constant time
 * (over digests of equal length, so neither the content nor the length of the token leaks through
 * the time a refusal takes).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}
