import type { OptionSpec } from '../config/option-spec.js';
import { EXIT_CODE_MEANINGS, type ExitCode } from '../errors.js';

/** How a default is shown in --help and README.md. */
export function formatDefault(value: unknown): string {
  const d = value as { from?: number; to?: number };
  if (typeof d === 'object' && d !== null && d.from !== undefined) return `${d.from}-${d.to}`;
  return String(value);
}

/** The --help text of one option: its description, choices, default and file key. */
export function optionHelp(spec: OptionSpec): string {
  let s = spec.description;
  if (spec.choices) s += ` (${[...spec.choices, ...(spec.otherChoice ? [spec.otherChoice] : [])].join('|')})`;
  if (spec.default !== undefined) s += ` [default: ${formatDefault(spec.default)}]`;
  if (spec.key) s += ` {${spec.key}}`;
  return s;
}

/** The exit-code lines of --help, from the one table. */
export function exitCodeHelp(codes: readonly ExitCode[]): string {
  const plain = (s: string) => s.replace(/`/g, '');
  return ['Exit codes:', ...codes.map((c) => `  ${String(c).padStart(2)}  ${plain(EXIT_CODE_MEANINGS[c])}`)].join('\n');
}
