/**
 * Exit codes of every mdbench command. One table, documented in README.md.
 */
export const ExitCode = {
  /** The run completed and nothing went wrong that the tool can name. */
  OK: 0,
  /** The run completed but errors were counted (connections failed, messages lost, rate missed). */
  RUN_ERRORS: 1,
  /** The configuration or command line is invalid. Nothing was started. */
  CONFIG: 2,
  /** The plan cannot be carried out on this host (limits, ports, addresses). Nothing was started. */
  PREFLIGHT: 3,
  /** The server could not be reached or refused the connection. */
  UNREACHABLE: 4,
  /** A bug: an exception the tool did not expect. */
  INTERNAL: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in a configuration source a problem was found. */
export interface SourceLocation {
  /** File path, or `command line`. */
  file: string;
  /** 1-based line number when the source is a file. */
  line?: number;
  /** The configuration key involved. */
  key?: string;
}

export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.key !== undefined) s += `: ${loc.key}`;
  return s;
}

/** An error a user can cause: a stable code, one line of message, an optional hint, an exit code. */
export class MdbenchError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly location?: SourceLocation;

  constructor(code: string, message: string, options: { exitCode?: ExitCode; hint?: string; location?: SourceLocation } = {}) {
    super(message);
    this.name = 'MdbenchError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.CONFIG;
    this.hint = options.hint;
    this.location = options.location;
  }

  /** The one line printed to the user. */
  toLine(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    return `${where}${this.message}`;
  }
}

/** Several configuration problems reported at once. */
export class ConfigErrors extends MdbenchError {
  readonly errors: MdbenchError[];
  constructor(errors: MdbenchError[]) {
    super('MDB_CONFIG', errors.map((e) => e.toLine()).join('\n'), { exitCode: ExitCode.CONFIG });
    this.errors = errors;
  }
  override toLine(): string {
    return this.errors.map((e) => e.toLine()).join('\n');
  }
}
