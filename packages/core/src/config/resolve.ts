import { parseConfigText } from './config-file.js';
import type { ConfigOf, OptionSpec, ValueOrigin } from './option-spec.js';
import { parseValue, valueError } from './values.js';
import { ConfigErrors, MdbenchError, type SourceLocation } from '../errors.js';

export interface ResolveInput<T extends readonly OptionSpec[] = readonly OptionSpec[]> {
  specs: T;
  /** The configuration file, already read. */
  file?: { path: string; text: string };
  /** Environment, for `MDBENCH_<FLAG>` variables (e.g. `MDBENCH_CLIENTS`). */
  env?: Record<string, string | undefined>;
  /** Values from the command line, keyed by option name, as text (or `true` for a bare boolean flag). */
  flags?: Record<string, string | boolean | undefined>;
}

export interface ResolvedConfig<C = Record<string, unknown>> {
  values: C;
  /** Where each value came from (defaults included: `file` is `default`). */
  origins: Record<string, ValueOrigin>;
  /** Keys that were accepted but have no effect, one line each. */
  warnings: string[];
}

/** How an option is named where its value came from: file key, environment variable or flag. */
function defaultOrigin(spec: OptionSpec): ValueOrigin {
  return { file: 'default', key: spec.key ?? (spec.flag ? `--${spec.flag}` : spec.name) };
}

/** Where the value of option `name` came from, for an error about it. */
export function originOf(resolved: Pick<ResolvedConfig, 'origins'>, name: string): SourceLocation {
  const o = resolved.origins[name];
  return o ? { file: o.file, line: o.line, key: o.key } : { file: 'default', key: name };
}

export function envName(spec: OptionSpec): string | undefined {
  return spec.flag ? `MDBENCH_${spec.flag.toUpperCase().replace(/-/g, '_')}` : undefined;
}

/**
 * Resolves a configuration: defaults < file < environment < flags. Every problem in every source is
 * collected and thrown at once as ConfigErrors, each naming file, line and key.
 */
export function resolveConfig<T extends readonly OptionSpec[]>(input: ResolveInput<T>): ResolvedConfig<ConfigOf<T>> {
  const values: Record<string, unknown> = {};
  const origins: Record<string, ValueOrigin> = {};
  const warnings: string[] = [];
  const errors: MdbenchError[] = [];
  for (const spec of input.specs) {
    if (spec.default === undefined) continue;
    values[spec.name] = spec.default;
    origins[spec.name] = defaultOrigin(spec);
  }

  const apply = (spec: OptionSpec, text: string | boolean, origin: ValueOrigin) => {
    try {
      values[spec.name] = parseValue(spec, text);
      origins[spec.name] = origin;
    } catch (err) {
      errors.push(valueError((err as Error).message, origin.file, origin.key, origin.line));
    }
  };

  if (input.file) {
    const byKey = new Map<string, OptionSpec>();
    for (const spec of input.specs) if (spec.key) byKey.set(spec.key.toLowerCase(), spec);
    const { entries, errors: syntax } = parseConfigText(input.file.text, input.file.path);
    errors.push(...syntax);
    const seen = new Map<string, number>();
    for (const e of entries) {
      const spec = byKey.get(e.key.toLowerCase());
      const loc = { file: input.file.path, line: e.line, key: e.key };
      if (!spec) {
        const known = closestKey(
          e.key,
          [...byKey.values()].map((s) => s.key as string),
        );
        const hint = known ? ` (did you mean ${known}?)` : '';
        errors.push(new MdbenchError('MDB_CONFIG_KEY', `unknown key${hint}`, { location: loc }));
        continue;
      }
      const first = seen.get(spec.name);
      if (first !== undefined) {
        errors.push(new MdbenchError('MDB_CONFIG_KEY', `set twice (first on line ${first})`, { location: loc }));
        continue;
      }
      seen.set(spec.name, e.line);
      if (spec.ignored) warnings.push(`${input.file.path}:${e.line}: ${e.key} has no effect in mdbench: ${spec.ignored}`);
      apply(spec, e.value, loc);
    }
  }

  for (const spec of input.specs) {
    const name = envName(spec);
    const text = name ? input.env?.[name] : undefined;
    if (name && text !== undefined && text !== '') apply(spec, text, { file: 'environment', key: name });
  }

  for (const spec of input.specs) {
    const text = input.flags?.[spec.name];
    if (text !== undefined) apply(spec, text, { file: 'command line', key: `--${spec.flag}` });
  }

  if (errors.length > 0) throw new ConfigErrors(errors);
  // The one place a table's values become its typed config: each value was parsed by its row's type.
  return { values: values as ConfigOf<T>, origins, warnings };
}

/** The known key nearest to a misspelt one, when it is close enough to be a likely typo. */
function closestKey(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = k;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
