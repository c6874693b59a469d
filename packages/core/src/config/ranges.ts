import { MdbenchError } from '../errors.js';

/**
 * A lazily indexed list of strings: element `i` is computed on demand, so a pattern
 * that expands to 1.2 million subjects costs no memory up front.
 */
export interface Sequence {
  /** Number of elements. */
  readonly count: number;
  /** Element `i`, 0-based; throws RangeError outside [0, count). */
  at(i: number): string;
}

type Part =
  | { kind: 'literal'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'int'; start: number; step: number; count: number; width: number }
  | { kind: 'char'; start: number; step: number; count: number };

function partCount(p: Part): number {
  switch (p.kind) {
    case 'literal':
      return 1;
    case 'list':
      return p.items.length;
    default:
      return p.count;
  }
}

function partAt(p: Part, i: number): string {
  switch (p.kind) {
    case 'literal':
      return p.text;
    case 'list':
      return p.items[i];
    case 'char':
      return String.fromCharCode(p.start + i * p.step);
    case 'int': {
      const v = p.start + i * p.step;
      if (p.width === 0) return String(v);
      const digits = String(Math.abs(v)).padStart(p.width - (v < 0 ? 1 : 0), '0');
      return v < 0 ? `-${digits}` : digits;
    }
  }
}

function rangeError(message: string): MdbenchError {
  return new MdbenchError('MDB_RANGE', message);
}

const INT = /^-?\d+$/;

function isPadded(s: string): boolean {
  const digits = s.startsWith('-') ? s.slice(1) : s;
  return digits.length > 1 && digits.startsWith('0');
}

/** Parses the inside of one `{...}`: `a..b`, `a..b..step`, `a...b` (the article's form), `x..y` letters, or `a,b,c`. */
function parseBrace(body: string, pattern: string): Part {
  if (body.includes(',')) return { kind: 'list', items: body.split(',') };
  const m = /^([^.]+)\.\.\.?([^.]+)(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) {
    throw rangeError(`brace {${body}} in "${pattern}" is neither a range {a..b} nor a list {a,b}`);
  }
  const [, from, to, stepText] = m;
  const stepAbs = stepText === undefined ? 1 : Math.abs(Number(stepText));
  if (stepAbs === 0) throw rangeError(`brace {${body}} in "${pattern}" has a step of 0`);
  if (INT.test(from) && INT.test(to)) {
    const a = Number(from);
    const b = Number(to);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) {
      throw rangeError(`brace {${body}} in "${pattern}" has a bound too large`);
    }
    const step = a <= b ? stepAbs : -stepAbs;
    const count = Math.floor(Math.abs(b - a) / stepAbs) + 1;
    const width = isPadded(from) || isPadded(to) ? Math.max(from.length, to.length) : 0;
    return { kind: 'int', start: a, step, count, width };
  }
  if (from.length === 1 && to.length === 1 && /[A-Za-z]/.test(from) && /[A-Za-z]/.test(to)) {
    const a = from.charCodeAt(0);
    const b = to.charCodeAt(0);
    const step = a <= b ? stepAbs : -stepAbs;
    return { kind: 'char', start: a, step, count: Math.floor(Math.abs(b - a) / stepAbs) + 1 };
  }
  throw rangeError(`brace {${body}} in "${pattern}": bounds must be two integers or two letters`);
}

class BracePattern implements Sequence {
  readonly count: number;
  private readonly parts: Part[];
  private readonly counts: number[];

  constructor(parts: Part[], pattern: string) {
    this.parts = parts;
    this.counts = parts.map(partCount);
    let count = 1;
    for (const c of this.counts) {
      count *= c;
      if (!Number.isSafeInteger(count)) throw rangeError(`"${pattern}" expands to more elements than can be counted`);
    }
    this.count = count;
  }

  at(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`index ${i} outside [0, ${this.count})`);
    }
    const out = new Array<string>(this.parts.length);
    let rest = i;
    for (let k = this.parts.length - 1; k >= 0; k--) {
      const c = this.counts[k];
      out[k] = partAt(this.parts[k], rest % c);
      rest = Math.floor(rest / c);
    }
    return out.join('');
  }
}

/**
 * Compiles one brace pattern, as a shell expands it: `/p/s{1..1200000}/-`, `192.168.{10..30}.101`,
 * `{a,b}`, zero padding `{001..100}`, a step `{0..100..10}`, and several braces (cartesian product,
 * the last brace varying fastest). The article's `{1...1200000}` is accepted as `{1..1200000}`.
 */
export function compilePattern(pattern: string): Sequence {
  if (pattern.length === 0) throw rangeError('the pattern is empty: it expands to nothing');
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '}') throw rangeError(`"${pattern}" has a "}" with no matching "{" at column ${i + 1}`);
    if (ch !== '{') {
      literal += ch;
      i++;
      continue;
    }
    const close = pattern.indexOf('}', i + 1);
    const nested = pattern.indexOf('{', i + 1);
    if (close < 0) throw rangeError(`"${pattern}" has a "{" with no matching "}" at column ${i + 1}`);
    if (nested >= 0 && nested < close) throw rangeError(`"${pattern}" nests braces at column ${nested + 1}; nesting is not supported`);
    if (literal) parts.push({ kind: 'literal', text: literal });
    literal = '';
    parts.push(parseBrace(pattern.slice(i + 1, close), pattern));
    i = close + 1;
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  return new BracePattern(parts, pattern);
}

/** Several sequences one after the other. */
class Concatenation implements Sequence {
  readonly count: number;
  private readonly seqs: Sequence[];
  private readonly starts: number[];

  constructor(seqs: Sequence[]) {
    this.seqs = seqs;
    this.starts = [];
    let total = 0;
    for (const s of seqs) {
      this.starts.push(total);
      total += s.count;
    }
    this.count = total;
  }

  at(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`index ${i} outside [0, ${this.count})`);
    }
    let lo = 0;
    let hi = this.seqs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.seqs[lo].at(i - this.starts[lo]);
  }
}

/** Splits on commas and white space that stand outside braces. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === ' ' || ch === '\t')) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Compiles a list of patterns separated by commas or spaces outside braces
 * (`127.0.0.{2..5}, ::1`), one sequence after the other.
 */
export function compilePatternList(text: string): Sequence {
  const items = splitTopLevel(text.trim());
  if (items.length === 0) throw rangeError('the pattern is empty: it expands to nothing');
  const seqs = items.map(compilePattern);
  return seqs.length === 1 ? seqs[0] : new Concatenation(seqs);
}

/** A sequence restricted to the elements [from, from + count). */
export function sliceSequence(seq: Sequence, from: number, count: number): Sequence {
  if (from < 0 || count < 0 || from + count > seq.count) {
    throw new RangeError(`slice [${from}, ${from + count}) outside [0, ${seq.count})`);
  }
  return {
    count,
    at(i: number): string {
      if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`index ${i} outside [0, ${count})`);
      return seq.at(from + i);
    },
  };
}

/** Every element; only for small sequences (addresses, servers). */
export function toArray(seq: Sequence, max = 1_000_000): string[] {
  if (seq.count > max) throw rangeError(`expands to ${seq.count} elements, more than the ${max} allowed here`);
  const out: string[] = [];
  for (let i = 0; i < seq.count; i++) out.push(seq.at(i));
  return out;
}
