import { compilePatternList } from './ranges.js';
import type { OptionSpec, PortRange } from './option-spec.js';
import { MdbenchError } from '../errors.js';

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

function parseIntText(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (!/^-?\d+$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Parses `500-65535`, `500..65535` or a single port. */
export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)\s*(?:-|\.\.)\s*(\d+)$/.exec(text.trim());
  const from = m ? Number(m[1]) : parseIntText(text.trim());
  const to = m ? Number(m[2]) : from;
  if (from === undefined || to === undefined) throw new Error(`"${text}" is not a port range like 1024-65535`);
  if (from < 1 || to > 65535 || from > to) throw new Error(`port range ${from}-${to} must lie within 1-65535, low to high`);
  return { from, to };
}

function checkBounds(spec: OptionSpec, v: number): void {
  if (spec.min !== undefined && v < spec.min) throw new Error(`must be at least ${spec.min}, got ${v}`);
  if (spec.max !== undefined && v > spec.max) throw new Error(`must be at most ${spec.max}, got ${v}`);
}

/** Converts the text of one value to its resolved form, or throws an Error whose message says why not. */
export function parseValue(spec: OptionSpec, text: string | boolean): unknown {
  if (typeof text === 'boolean') {
    if (spec.type !== 'bool') throw new Error('needs a value');
    return text;
  }
  switch (spec.type) {
    case 'int': {
      const v = parseIntText(text);
      if (v === undefined) throw new Error(`"${text}" is not a whole number`);
      checkBounds(spec, v);
      return v;
    }
    case 'number': {
      const v = Number(text.replace(/_/g, ''));
      if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`"${text}" is not a number`);
      checkBounds(spec, v);
      return v;
    }
    case 'bool': {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      throw new Error(`"${text}" is not true or false`);
    }
    case 'enum': {
      if (!spec.choices?.includes(text)) throw new Error(`"${text}" is not one of ${spec.choices?.join(', ')}`);
      return text;
    }
    case 'pattern':
      try {
        compilePatternList(text);
      } catch (err) {
        throw new Error((err as Error).message);
      }
      return text;
    case 'portRange':
      return parsePortRange(text);
    case 'string':
    case 'file':
      return text;
  }
}

export function valueError(message: string, file: string, key: string, line?: number): MdbenchError {
  return new MdbenchError('MDB_CONFIG_VALUE', message, { location: { file, line, key } });
}
