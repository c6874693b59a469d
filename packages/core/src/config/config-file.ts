import { MdbenchError } from '../errors.js';

/** One `Key = value` line of a configuration file. */
export interface ConfigEntry {
  key: string;
  value: string;
  line: number;
}

/**
 * Parses the article's configuration format: one `Key = value` per line, `#` starts a comment,
 * blank lines are ignored. Every malformed line is reported, not just the first.
 */
export function parseConfigText(text: string, file: string): { entries: ConfigEntry[]; errors: MdbenchError[] } {
  const entries: ConfigEntry[] = [];
  const errors: MdbenchError[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const hash = lines[n].indexOf('#');
    const content = (hash >= 0 ? lines[n].slice(0, hash) : lines[n]).trim();
    if (content === '') continue;
    const loc = { file, line: n + 1 };
    const eq = content.indexOf('=');
    if (eq < 0) {
      errors.push(new MdbenchError('MDB_CONFIG_SYNTAX', `expected "Key = value", found "${content}"`, { location: loc }));
      continue;
    }
    const key = content.slice(0, eq).trim();
    const value = content.slice(eq + 1).trim();
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(key)) {
      errors.push(new MdbenchError('MDB_CONFIG_SYNTAX', `"${key}" is not a valid key`, { location: loc }));
      continue;
    }
    if (value === '') {
      errors.push(new MdbenchError('MDB_CONFIG_VALUE', 'has no value', { location: { ...loc, key } }));
      continue;
    }
    entries.push({ key, value, line: n + 1 });
  }
  return { entries, errors };
}
