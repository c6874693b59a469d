import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { OptionSpec } from '../config/option-spec.js';
import { resolveConfig } from '../config/resolve.js';
import { ExitCode, MdbenchError } from '../errors.js';
import { systemClock } from '../clock.js';
import { LogWriter } from '../report/log-writer.js';
import { realHost } from '../system/host-view.js';
import type { CliIo, CommandDef } from './command.js';
import { exitCodeHelp, optionHelp } from './help.js';

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function buildProgram(def: CommandDef<readonly OptionSpec[]>, io: CliIo): Command {
  const program = new Command(def.name)
    .description(def.description)
    .version(def.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .option('-c, --config <FILE>', 'configuration file in the article\'s "Key = value  # comment" format; flags override it')
    .option('--debug', 'print stack traces for errors')
    .allowExcessArguments(Boolean(def.positional))
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const spec of def.specs) {
    if (!spec.flag) continue;
    const arg = spec.type === 'bool' ? '[BOOL]' : `<${spec.arg ?? 'VALUE'}>`;
    const flags = `${spec.short ? `-${spec.short}, ` : ''}--${spec.flag} ${arg}`;
    program.addOption(new Option(flags, optionHelp(spec)));
  }
  if (def.positional) program.argument(`<${def.positional.name}...>`, def.positional.description);
  const after = [def.example ? `Example: ${def.example}` : '', exitCodeHelp(def.exitCodes)].filter(Boolean).join('\n');
  program.addHelpText('after', `\n${after}`);
  return program;
}

/** Reads the file given with -c. */
function readConfigFile(path: string | undefined): { path: string; text: string } | undefined {
  if (!path) return undefined;
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new MdbenchError('MDB_CONFIG_FILE', `cannot read configuration file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Runs a command: parses flags, reads the config file, resolves defaults < file < environment <
 * flags, and calls `def.run`. Every error a user can cause becomes one line on stderr and an exit
 * code from the documented table; a stack trace only with --debug. Returns the exit code.
 */
export async function runCli<T extends readonly OptionSpec[]>(def: CommandDef<T>, io: CliIo): Promise<number> {
  const program = buildProgram(def as unknown as CommandDef<readonly OptionSpec[]>, io);
  const debug = io.argv.includes('--debug');
  const fail = (line: string, code: number, hint?: string) => {
    for (const l of line.split('\n')) io.stderr.write(`${def.name}: error: ${l}\n`);
    if (hint) io.stderr.write(`${def.name}: hint: ${hint}\n`);
    return code;
  };
  try {
    program.parse(io.argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.OK;
      return ExitCode.CONFIG; // commander has already printed its one line
    }
    throw err;
  }
  const opts = program.opts<Record<string, string | boolean | undefined>>();
  try {
    const configPath = opts.config as string | undefined;
    const flags: Record<string, string | boolean | undefined> = {};
    for (const spec of def.specs) if (spec.flag) flags[spec.name] = opts[camel(spec.flag)];
    const resolved = resolveConfig({ specs: def.specs, file: readConfigFile(configPath), env: io.env, flags });
    const fancy = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
    const warn = (text: string) => void io.stderr.write(`${def.name}: warning: ${text}\n`);
    for (const w of resolved.warnings) warn(w);
    const log = new LogWriter(io.stdout, { color: fancy });
    return await def.run({ config: resolved.values, resolved, io, log, fancy, configPath, debug, warn, args: program.args });
  } catch (err) {
    if (err instanceof MdbenchError) {
      if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
      return fail(err.toLine(), err.exitCode, err.hint);
    }
    if (debug) io.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    return fail(`internal error: ${(err as Error).message ?? String(err)}${debug ? '' : ' (run with --debug for the stack trace)'}`, ExitCode.INTERNAL);
  }
}

/** How long a process whose command returned may take to end by itself before it is ended. */
const LINGER_MS = 2000;

/** The entry point of a bin: runs the command with the real process I/O and sets the exit code. */
export function main<T extends readonly OptionSpec[]>(def: CommandDef<T>): void {
  // A closed pipe (`| head`) ends the output quietly instead of crashing the process.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  const io = processIo();
  // Once the command has returned, the process ends: anything left running (a worker, a listener
  // after a failure) is not allowed to keep it serving on, deaf to signals.
  const end = (code: number) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), LINGER_MS).unref();
  };
  runCli(def, io).then(end, (err) => {
    process.stderr.write(`${def.name}: internal error: ${(err as Error).stack ?? err}\n`);
    end(ExitCode.INTERNAL);
  });
}

/** The real process's I/O: its arguments, streams, environment, signals, clock, folder and host. */
export function processIo(): CliIo {
  return {
    argv: process.argv.slice(2),
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
    clock: systemClock,
    cwd: process.cwd(),
    host: realHost(),
  };
}

/** Reads the `version` of the package.json next to a module's dist folder. */
export function packageVersion(moduleUrl: string): string {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', moduleUrl), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
}
