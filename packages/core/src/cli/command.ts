import type { Clock } from '../clock.js';
import type { ConfigOf, OptionSpec } from '../config/option-spec.js';
import type { ResolvedConfig } from '../config/resolve.js';
import type { ExitCode } from '../errors.js';
import type { LogWriter } from '../report/log-writer.js';
import type { HostView } from '../system/host-view.js';

/** All process I/O a command uses, built by the bin's entry file and passed in (tests pass their own). */
export interface CliIo {
  /** Arguments after the program name. */
  argv: string[];
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  /** Where SIGINT and SIGTERM arrive (the process, in a bin). */
  signals: NodeJS.EventEmitter;
  /** The clock every time of the run is read from (a ManualClock in tests). */
  clock: Clock;
  /** The folder relative paths are read against (a plug-in's `./x.mjs`). */
  cwd: string;
  /** The host the pre-flight checks (/proc, /sys, addresses): a tree or a map in tests. */
  host: HostView;
}

export interface CommandContext<C = Record<string, unknown>> {
  config: C;
  resolved: ResolvedConfig<C>;
  io: CliIo;
  /** The statistics log on stdout (plain when not a terminal). */
  log: LogWriter;
  /** Colour and spinners are allowed: stdout is a terminal and NO_COLOR is unset. */
  fancy: boolean;
  configPath?: string;
  debug: boolean;
  /** Writes one line to stderr prefixed with the command's name. */
  warn(text: string): void;
  /** Positional arguments, for commands that declare them. */
  args: string[];
}

export interface CommandDef<T extends readonly OptionSpec[] = readonly OptionSpec[]> {
  name: string;
  version: string;
  description: string;
  specs: T;
  /** An example command line for --help. */
  example?: string;
  /** The exit codes this command can end with; --help lists them from the one table. */
  exitCodes: readonly ExitCode[];
  /** A variadic positional argument, e.g. `{ name: 'logs', description: 'JSON-lines files or globs' }`. */
  positional?: { name: string; description: string };
  run(ctx: CommandContext<ConfigOf<T>>): Promise<number>;
}

/** Declares a command with its option table's types carried into `run`. */
export function defineCommand<const T extends readonly OptionSpec[]>(def: CommandDef<T>): CommandDef<T> {
  return def;
}
