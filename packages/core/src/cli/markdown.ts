import type { OptionSpec } from '../config/option-spec.js';
import { envName } from '../config/resolve.js';
import { ERROR_CODES, EXIT_CODE_MEANINGS, type ExitCode } from '../errors.js';
import { formatDefault } from './help.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The groups of a table in the order they first appear. */
function groups(specs: readonly OptionSpec[]): string[] {
  return [...new Set(specs.map((s) => s.group ?? 'general'))];
}

/**
 * README.md's option table of one command, generated from its option table: flag, file key,
 * environment variable, default and meaning, grouped as the table groups them.
 */
export function optionsMarkdown(specs: readonly OptionSpec[]): string {
  const out: string[] = ['| flag | file key | environment | default | meaning |', '|---|---|---|---|---|'];
  for (const g of groups(specs)) {
    for (const s of specs.filter((x) => (x.group ?? 'general') === g)) {
      const flag = s.flag ? `\`${s.short ? `-${s.short}, ` : ''}--${s.flag}\`` : '';
      const key = s.key ? `\`${s.key}\`` : '';
      const env = envName(s) ? `\`${envName(s)}\`` : '';
      const dflt = s.default !== undefined ? `\`${formatDefault(s.default)}\`` : '';
      let meaning = s.description;
      if (s.choices) meaning += ` (${[...s.choices, ...(s.otherChoice ? [s.otherChoice] : [])].join(', ')})`;
      if (s.ignored) meaning += `; accepted with a warning: ${s.ignored}`;
      out.push(`| ${flag} | ${key} | ${env} | ${dflt} | ${cell(`*${g}:* ${meaning}`)} |`);
    }
  }
  return out.join('\n');
}

/** README.md's exit-code table, from the one table. */
export function exitCodesMarkdown(): string {
  const rows = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `| ${code} | ${cell(meaning)} |`);
  return ['| code | meaning |', '|---|---|', ...rows].join('\n');
}

/** docs/errors.md's table of error codes, from the one table. */
export function errorCodesMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, e]) => `| \`${code}\` | ${e.exit === null ? 'counted, the run goes on' : String(e.exit as ExitCode)} | ${cell(e.meaning)} |`,
  );
  return ['| code | exit | meaning |', '|---|---|---|', ...rows].join('\n');
}
