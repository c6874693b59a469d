import { envName, formatDefault, type OptionSpec } from '@mdbench/core/internal';

/** `--flag value` for each option of `names` that has a value, as the tool's table spells it. */
export function passFlags(cfg: Record<string, unknown>, specs: readonly OptionSpec[], names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const v = cfg[name];
    const spec = specs.find((s) => s.name === name);
    if (v === undefined || !spec?.flag || spec.secret) continue;
    out.push(`--${spec.flag}`, typeof v === 'object' ? formatDefault(v) : String(v));
  }
  return out;
}

/** The secrets among `names` (tokens, passwords), as the environment variables a child reads: never on its command line, where `ps` shows them. */
export function passSecrets(cfg: Record<string, unknown>, specs: readonly OptionSpec[], names: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const v = cfg[name];
    const spec = specs.find((s) => s.name === name);
    const variable = spec ? envName(spec) : undefined;
    if (v !== undefined && spec?.secret && variable) env[variable] = String(v);
  }
  return env;
}
