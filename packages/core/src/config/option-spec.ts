/** The kinds of value an option takes; each has one parser in values.ts. */
type OptionType = 'int' | 'number' | 'string' | 'bool' | 'pattern' | 'portRange' | 'enum' | 'file';

/**
 * One row of a command's option table. The table drives the config-file keys, the command-line flags,
 * the environment variables, `--help`, README.md's option tables, validation and the command's
 * config type (`ConfigOf`), so a setting is declared exactly once.
 */
export interface OptionSpec {
  /** Property name in the resolved configuration, e.g. `subjectsPerClient`. */
  readonly name: string;
  /** Key in the article's `Key = value` files, e.g. `SubjectsPerClient`; omit for flag-only options. */
  readonly key?: string;
  /** Long flag without dashes, e.g. `subjects-per-client`; omit for file-only keys. */
  readonly flag?: string;
  /** One-letter flag, e.g. `c`. */
  readonly short?: string;
  readonly type: OptionType;
  /** Default value, already in the resolved form. */
  readonly default?: unknown;
  /** One line for `--help` and README.md. */
  readonly description: string;
  /** Placeholder in `--help`, e.g. `N`. */
  readonly arg?: string;
  /** Inclusive bounds for `int` and `number`. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for `enum`; for other types, the usual values shown in help (see `otherChoice`). */
  readonly choices?: readonly string[];
  /** Shown after the choices of a non-enum option for what else it takes, e.g. `PATH`. */
  readonly otherChoice?: string;
  /**
   * Accepted for compatibility with the article's files but without effect in mdbench;
   * the text says why and is printed as a warning when the key is set.
   */
  readonly ignored?: string;
  /** Where README.md lists it: the option tables are grouped by this (default: `general`). */
  readonly group?: string;
  /**
   * A credential (token, password): never put on a child's command line (visible in `ps`), handed
   * over in its environment variable instead, and left out of the configuration digest.
   */
  readonly secret?: boolean;
}

/** A port range: `from`..`to` inclusive. */
export interface PortRange {
  from: number;
  to: number;
}

/** Where a value came from, for error messages. */
export interface ValueOrigin {
  /** File path, `environment`, `command line` or `default`. */
  file: string;
  line?: number;
  /** File key, environment variable or `--flag`. */
  key: string;
}

/** Declares an option table with its literal types kept, so `ConfigOf` can derive the config type. */
export function defineOptions<const T extends readonly OptionSpec[]>(specs: T): T {
  return specs;
}

type ValueOf<S> = S extends { readonly type: 'int' | 'number' }
  ? number
  : S extends { readonly type: 'bool' }
    ? boolean
    : S extends { readonly type: 'portRange' }
      ? PortRange
      : S extends { readonly type: 'enum'; readonly choices: readonly (infer C)[] }
        ? C
        : string;

type Required<T extends readonly OptionSpec[]> = Extract<T[number], { readonly default: unknown }>;
type Optional<T extends readonly OptionSpec[]> = Exclude<T[number], { readonly default: unknown }>;

/**
 * The resolved configuration a table describes: one property per row, typed by the row's `type`
 * (an enum by its choices), optional when the row has no default.
 */
export type ConfigOf<T extends readonly OptionSpec[]> = {
  -readonly [S in Required<T> as S['name']]: ValueOf<S>;
} & {
  -readonly [S in Optional<T> as S['name']]?: ValueOf<S>;
};
