import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  JSON_LINES_VERSION,
  MdbenchError,
  checkShape,
  type ClientRecord,
  type MdbenchRecord,
  type PublisherRecord,
  type ServerRecord,
  type Shape,
} from '@mdbench/core/internal';

/** One record with the file it came from. */
export type LogRecord = MdbenchRecord & { _file: string };

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
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
    const hits = names
      .filter((n) => re.test(n))
      .sort()
      .map((n) => path.join(dir, n));
    if (hits.length === 0) throw new MdbenchError('MDB_REPORT_INPUT', `${input} matches no file`);
    out.push(...hits);
  }
  return out;
}

const HEADER = {
  v: 'number',
  type: 'string',
  tool: 'string',
  version: 'string',
  host: 'string',
  pid: 'number',
  ts: 'string',
  uptimeS: 'number',
  seconds: 'number',
} as const;
const LATENCY = 'object';

/** The fields report reads of each tool's records (docs/json-lines.md); older v1 logs without the newer optional ones still read. */
const SHAPES: Record<string, Shape<Record<string, unknown>>> = {
  'mdbench-client': {
    ...HEADER,
    latency: LATENCY,
    latencyOther: LATENCY,
    counters: 'object',
    errors: 'object',
    gauges: 'object',
    loopDelay: 'object?',
    instance: 'number?',
    clockOffsetUs: 'number?',
  },
  'mdbench-publisher': { ...HEADER, sent: 'number', totalSent: 'number', lag: LATENCY, targetRatePerSec: 'number' },
  'mdbench-server': { ...HEADER, totals: 'object', connections: 'number' },
};

/** Maps of counts in a record: every value must be a finite number (they are summed and shown). */
const COUNT_MAPS = ['counters', 'errors', 'gauges', 'totals'] as const;

function checkCounts(map: unknown, what: string): void {
  if (map === undefined) return;
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`${what}: ${JSON.stringify(k).slice(0, 40)} should be a number, got ${JSON.stringify(v).slice(0, 40)}`);
  }
}

/** Checks one parsed line against the record schema; throws one line naming file, line and field. */
function checkRecord(raw: unknown, file: string, line: number): LogRecord {
  const where = { file, line };
  const r = raw as Record<string, unknown>;
  if (typeof r !== 'object' || r === null || r.v !== JSON_LINES_VERSION || typeof r.tool !== 'string' || !(r.tool in SHAPES)) {
    throw new MdbenchError('MDB_REPORT_INPUT', `not an mdbench v${JSON_LINES_VERSION} record`, { location: where });
  }
  try {
    checkShape(r, SHAPES[r.tool as string], `${r.tool} record`);
    for (const field of COUNT_MAPS) checkCounts(r[field], `${r.tool} record: ${field}`);
  } catch (err) {
    throw new MdbenchError('MDB_REPORT_INPUT', (err as Error).message, { location: where });
  }
  const out = r as unknown as LogRecord;
  out._file = file;
  return out;
}

/**
 * Reads every record of every file; a line that is not a record is reported with its file and line.
 * `growing`: files still being written: a last line without its newline is not read yet.
 */
export function readLogs(files: string[], growing = false): LogRecord[] {
  const records: LogRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new MdbenchError('MDB_REPORT_INPUT', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
    }
    const lines = text.split('\n');
    if (growing) lines.pop();
    lines.forEach((line, i) => {
      const r = parseLine(line, file, i + 1);
      if (r) records.push(r);
    });
  }
  return records;
}

/** One line of a log: its record, null for a blank line; throws one line naming file and line. */
export function parseLine(line: string, file: string, lineNo: number): LogRecord | null {
  if (!line.trim()) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new MdbenchError('MDB_REPORT_INPUT', `line ${lineNo} is not JSON`, { location: { file, line: lineNo } });
  }
  return checkRecord(parsed, file, lineNo);
}

export const isClient = (r: LogRecord): r is ClientRecord & { _file: string } => r.tool === 'mdbench-client';
export const isPublisher = (r: LogRecord): r is PublisherRecord & { _file: string } => r.tool === 'mdbench-publisher';
export const isServer = (r: LogRecord): r is ServerRecord & { _file: string } => r.tool === 'mdbench-server';
