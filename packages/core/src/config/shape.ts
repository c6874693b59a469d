import { MdbenchError } from '../errors.js';

type Kind = 'number' | 'string' | 'boolean' | 'object' | 'string[]' | 'number[]' | 'object[]';
/** The kind of each field of T; a trailing `?` lets it be absent or null. */
export type Shape<T> = { [K in keyof Required<T>]: Kind | `${Kind}?` };

function kindOf(v: unknown): Kind | 'other' {
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return 'string[]';
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) return 'number[]';
    return v.every((x) => typeof x === 'object' && x !== null) ? 'object[]' : 'other';
  }
  if (v === null) return 'other';
  const t = typeof v;
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'object' ? t : 'other';
}

/**
 * Checks that `raw` has every field of `shape` with its kind (what a worker is handed over IPC),
 * and returns it typed; one line naming the first field that is wrong otherwise.
 */
export function checkShape<T>(raw: unknown, shape: Shape<T>, what: string): T {
  if (typeof raw !== 'object' || raw === null) throw new MdbenchError('MDB_WORKER_CONFIG', `${what} is not an object`);
  const obj = raw as Record<string, unknown>;
  for (const [field, spec] of Object.entries(shape) as [string, string][]) {
    const optional = spec.endsWith('?');
    const want = optional ? spec.slice(0, -1) : spec;
    const v = obj[field];
    if ((v === undefined || v === null) && optional) continue;
    const got = kindOf(v);
    const ok = got === want || (v !== undefined && Array.isArray(v) && v.length === 0 && want.endsWith('[]'));
    if (!ok || (want === 'number' && !Number.isFinite(v as number))) {
      throw new MdbenchError('MDB_WORKER_CONFIG', `${what}: ${field} should be ${want}, got ${v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 40)}`);
    }
  }
  return raw as T;
}
