/** A contiguous part of [0, total). */
export interface Slice {
  from: number;
  count: number;
}

/**
 * Part `k` (0-based) of `parts` balanced contiguous parts of [0, total): sizes differ by at most one,
 * the first parts take the remainder, and the parts cover [0, total) exactly once.
 */
export function slicePart(total: number, parts: number, k: number): Slice {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be a positive integer, got ${parts}`);
  if (!Number.isInteger(k) || k < 0 || k >= parts) throw new RangeError(`part ${k} outside [0, ${parts})`);
  const base = Math.floor(total / parts);
  const extra = total % parts;
  const from = k * base + Math.min(k, extra);
  return { from, count: base + (k < extra ? 1 : 0) };
}
