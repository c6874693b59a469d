/**
 * Exit codes of every mdbench command: the one table that `--help`, README.md and the code read.
 */
export const ExitCode = {
  OK: 0,
  RUN_ERRORS: 1,
  CONFIG: 2,
  PREFLIGHT: 3,
  UNREACHABLE: 4,
  OUTPUT: 5,
  INTERNAL: 70,
  REGRESSION: 98,
  THRESHOLDS: 99,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each exit code means, in the words `--help` and README.md print. */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: 'the run completed and nothing went wrong that the tool can name',
  1: 'the run completed with errors it names in its `Result` line (failed connections, lost messages, refusals by the server, rate not held, objective broken)',
  2: 'bad configuration or command line (one line per problem, each with its file and line, environment variable or flag)',
  3: 'the host cannot carry out the plan (open-file limit, missing local address, port in use): the hint line gives the fixing command',
  4: 'the server cannot be reached or refused the WebSocket upgrade',
  5: 'an output file (`--json`, `--hlog`) could not be written during the run (a full disk); the summary was still printed',
  70: 'internal error (run with `--debug` for the stack trace)',
  98: '`mdbench-report compare` found a regression: a metric worse with 95% confidence and beyond the tolerance',
  99: 'the run completed and a `--thresholds` threshold was crossed (each verdict with its measured value in the summary); takes precedence over 1',
};

/** Where in a configuration source a problem was found. */
export interface SourceLocation {
  /** File path, `environment`, `command line` or `default`. */
  file: string;
  /** 1-based line number when the source is a file. */
  line?: number;
  /** The configuration key, environment variable or flag involved. */
  key?: string;
}

function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.key !== undefined) s += `: ${loc.key}`;
  return s;
}

/**
 * Every error code mdbench gives, with the exit code it ends a command with. Codes whose exit is
 * `null` never end a run: they name what a peer sent that was counted (and the run goes on).
 */
export const ERROR_CODES = {
  MDB_CONFIG: { exit: ExitCode.CONFIG, meaning: 'several configuration problems, one line each' },
  MDB_CONFIG_FILE: { exit: ExitCode.CONFIG, meaning: 'the configuration file (`-c`) cannot be read' },
  MDB_CONFIG_SYNTAX: { exit: ExitCode.CONFIG, meaning: 'a configuration-file line that is not `Key = value`' },
  MDB_CONFIG_KEY: { exit: ExitCode.CONFIG, meaning: 'an unknown key (with the nearest known one) or a key set twice' },
  MDB_CONFIG_VALUE: { exit: ExitCode.CONFIG, meaning: 'a value of the wrong kind or out of range, or settings that contradict each other' },
  MDB_RANGE: { exit: ExitCode.CONFIG, meaning: 'a brace pattern that cannot be expanded (unbalanced, nested, empty, zero step)' },
  MDB_PLAN_SHORT: { exit: ExitCode.CONFIG, meaning: 'local addresses x ports cannot place every connection' },
  MDB_PLUGIN: { exit: ExitCode.CONFIG, meaning: 'a protocol name that is not known, or a plug-in module that cannot be loaded or lacks a method' },
  MDB_THRESHOLD: {
    exit: ExitCode.CONFIG,
    meaning: 'a `--thresholds` threshold that cannot be parsed, names a metric the tool does not measure or has the wrong unit',
  },
  MDB_OBJECTIVE: { exit: ExitCode.CONFIG, meaning: 'a capacity-search objective or step list that cannot be parsed' },
  MDB_PREFLIGHT: { exit: ExitCode.PREFLIGHT, meaning: 'the host cannot carry out the plan; the hint gives the command that fixes it' },
  MDB_LISTEN: { exit: ExitCode.PREFLIGHT, meaning: 'a listening socket (server, monitor, metrics) cannot be opened' },
  MDB_NO_INTERFACE: { exit: ExitCode.PREFLIGHT, meaning: 'the network interface named for bandwidth does not exist' },
  MDB_UNREACHABLE: { exit: ExitCode.UNREACHABLE, meaning: 'the server cannot be reached or refused the WebSocket upgrade' },
  MDB_REFUSED: {
    exit: ExitCode.RUN_ERRORS,
    meaning: 'the server refused the login, a subscription or an event stream at the start (the cause as the server gave it: HTTP 404, not an event stream)',
  },
  MDB_HUB: { exit: ExitCode.RUN_ERRORS, meaning: "the server's worker mesh failed" },
  MDB_TLS_FILE: {
    exit: ExitCode.CONFIG,
    meaning: 'a TLS certificate, key or CA file that cannot be read, is not PEM, or whose key does not belong to its certificate',
  },
  MDB_TLS_VERIFY: {
    exit: ExitCode.RUN_ERRORS,
    meaning:
      'the TLS handshake with a wss:// server failed: its certificate not trusted, expired or not naming the host, or the server refused ours (the OpenSSL code as the cause)',
  },
  MDB_OUTPUT: { exit: ExitCode.CONFIG, meaning: 'an output file (`--json`, `--hlog`, `--html`) cannot be opened for writing; found before anything starts' },
  MDB_REPORT_INPUT: { exit: ExitCode.CONFIG, meaning: 'a log given to mdbench-report cannot be read or is not an mdbench record' },
  MDB_WORKER_CONFIG: { exit: ExitCode.INTERNAL, meaning: 'a worker process was handed a configuration it cannot use (a bug)' },
  MDB_PROTO_SHORT: { exit: null, meaning: 'a protocol frame shorter than its fields (counted as malformed)' },
  MDB_PROTO_TRAILING: { exit: null, meaning: 'bytes after the end of a protocol frame (counted as malformed)' },
  MDB_PROTO_TYPE: { exit: null, meaning: 'a protocol frame of an unknown type (counted as malformed)' },
  MDB_PROTO_VERSION: { exit: null, meaning: 'a native protocol frame of another version (counted as malformed)' },
  MDB_WS_PROTOCOL: {
    exit: null,
    meaning: 'a WebSocket frame a peer must refuse (masking, reserved bits, bad control frame, too large); the connection is closed with the close code',
  },
  MDB_WS_HANDSHAKE: { exit: null, meaning: 'an upgrade answered wrongly or refused (counted as `handshake`)' },
} as const satisfies Record<string, { exit: ExitCode | null; meaning: string }>;
export type ErrorCodeName = keyof typeof ERROR_CODES;

/** An error a user (or a peer) can cause: a stable code, one line of message, an optional hint, an exit code. */
export class MdbenchError extends Error {
  readonly code: ErrorCodeName;
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly location?: SourceLocation;

  constructor(code: ErrorCodeName, message: string, options: { exitCode?: ExitCode; hint?: string; location?: SourceLocation } = {}) {
    super(message);
    this.name = 'MdbenchError';
    this.code = code;
    this.exitCode = options.exitCode ?? ERROR_CODES[code].exit ?? ExitCode.RUN_ERRORS;
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

/** What a peer sent that cannot be decoded: counted, never fatal to the process. */
export class ProtocolError extends MdbenchError {
  constructor(code: ErrorCodeName, message: string) {
    super(code, message);
    this.name = 'ProtocolError';
  }
}
