/** The kinds of value an option takes; each has one parser in values.ts. */
export type OptionType = 'int' | 'number' | 'string' | 'bool' | 'pattern' | 'portRange' | 'enum' | 'file';

/**
 * One row of a command's option table. The table drives the config-file keys, the command-line flags,
 * `--help`, and validation, so a setting is declared exactly once.
 */
export interface OptionSpec {
  /** Property name in the resolved configuration, e.g. `subjectsPerClient`. */
  name: string;
  /** Key in the article's `Key = value` files, e.g. `SubjectsPerClient`; omit for flag-only options. */
  key?: string;
  /** Long flag without dashes, e.g. `subjects-per-client`; omit for file-only keys. */
  flag?: string;
  /** One-letter flag, e.g. `c`. */
  short?: string;
  type: OptionType;
  /** Default value, already in the resolved form. */
  default?: unknown;
  /** One line for `--help`. */
  description: string;
  /** Placeholder in `--help`, e.g. `N`. */
  arg?: string;
  /** Inclusive bounds for `int` and `number`. */
  min?: number;
  max?: number;
  /** Allowed values for `enum`. */
  choices?: readonly string[];
  /**
   * Accepted for compatibility with the article's files but without effect in mdbench;
   * the text says why and is printed as a warning when the key is set.
   */
  ignored?: string;
}

/** A port range: `from`..`to` inclusive. */
export interface PortRange {
  from: number;
  to: number;
}

/** Where a value came from, for error messages. */
export interface ValueOrigin {
  file: string;
  line?: number;
  key: string;
}
