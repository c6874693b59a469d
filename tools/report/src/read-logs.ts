import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MdbenchError } from '@mdbench/core';

/** One JSON-lines record with where it came from. */
export type LogRecord = Record<string, any> & { type: string; tool: string; _file: string };

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Expands `dir/*.jsonl`-style patterns (in the last path segment) and plain paths. */
export function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (!/[*?]/.test(input)) {
      out.push(input);
      continue;
    }
    const dir = path.dirname(input);
    const re = globToRegExp(path.basename(input));
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      throw new MdbenchError('MDB_REPORT_INPUT', `cannot read folder ${dir} for ${input}`);
    }
    const hits = names.filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
    if (hits.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', `${input} matches no file`);
    out.push(...hits);
  }
  return out;
}

/** Reads every record of every file; a line that is not JSON is reported with its file and line. */
export function readLogs(files: string[]): LogRecord[] {
  const records: LogRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new MdbenchError('MDB_REPORT_INPUT', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
    }
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let r: LogRecord;
      try {
        r = JSON.parse(line);
      } catch {
        throw new MdbenchError('MDB_REPORT_INPUT', `line ${i + 1} is not JSON`, { location: { file, line: i + 1 } });
      }
      if (r.v !== 1 || typeof r.tool !== 'string') throw new MdbenchError('MDB_REPORT_INPUT', 'not an mdbench v1 record', { location: { file, line: i + 1 } });
      r._file = file;
      records.push(r);
    });
  }
  return records;
}
