import { createHash } from 'node:crypto';
import type { Sequence } from '../config/ranges.js';

/**
 * A subject list as the report tells lists apart: how many, the first, and a digest of the count
 * and up to 1,024 evenly spaced names (cheap for millions of subjects). A publisher and a client
 * whose lists have the same digest publish and subscribe over the same subjects.
 */
export interface SubjectSet {
  count: number;
  first: string;
  digest: string;
}

const SAMPLES = 1024;

export function subjectSetOf(seq: Sequence): SubjectSet {
  const h = createHash('sha256').update(String(seq.count));
  const step = Math.max(1, Math.floor(seq.count / SAMPLES));
  for (let i = 0; i < seq.count; i += step) h.update('\n').update(seq.at(i));
  if (seq.count > 0) h.update('\n').update(seq.at(seq.count - 1));
  return { count: seq.count, first: seq.count > 0 ? seq.at(0) : '', digest: h.digest('hex').slice(0, 16) };
}
