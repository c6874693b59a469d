import { MdbenchError } from '../errors.js';
import { checkShape, type Shape } from './shape.js';
import type { ConfigOf, OptionSpec } from './option-spec.js';

/** The kind each row's resolved value has (optional where the row has no default). */
function shapeOf(specs: readonly OptionSpec[]): Shape<Record<string, unknown>> {
  const shape: Record<string, string> = {};
  for (const s of specs) {
    const kind = s.type === 'int' || s.type === 'number' ? 'number' : s.type === 'bool' ? 'boolean' : s.type === 'portRange' ? 'object' : 'string';
    shape[s.name] = s.default === undefined ? `${kind}?` : kind;
  }
  return shape as Shape<Record<string, unknown>>;
}

/**
 * A command's resolved options handed to a worker over IPC, checked on arrival against the same
 * option table that resolved them: every row present with its type, an enum within its choices.
 * One line naming the first option that is wrong otherwise.
 */
export function checkOptions<const T extends readonly OptionSpec[]>(raw: unknown, specs: T, what: string): ConfigOf<T> {
  const options = checkShape<Record<string, unknown>>(raw, shapeOf(specs), what);
  for (const s of specs) {
    const v = options[s.name];
    if (s.type === 'enum' && v != null && !s.choices?.includes(v as string))
      throw new MdbenchError('MDB_WORKER_CONFIG', `${what}: ${s.name} should be one of ${s.choices?.join(', ')}, got ${JSON.stringify(v).slice(0, 40)}`);
  }
  return options as ConfigOf<T>;
}
