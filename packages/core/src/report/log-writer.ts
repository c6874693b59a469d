import { Chalk } from 'chalk';
import { formatStamp } from './format.js';

/** Something lines can be written to (a stream, or an array in tests). */
export interface LineSink {
  write(text: string): unknown;
}

export interface LogWriterOptions {
  /** Colour the level tags (only on a terminal, and never with NO_COLOR). */
  color?: boolean;
  /** Epoch ms for the stamp. */
  nowMs?: () => number;
}

// Colour is decided by the caller (a terminal, NO_COLOR unset), not by chalk's own detection.
const chalk = new Chalk({ level: 1 });
const TAG: Record<'INFO' | 'WARN' | 'ERROR', (s: string) => string> = { INFO: chalk.green, WARN: chalk.yellow, ERROR: chalk.red };

/**
 * Writes the article's log lines, `[YYYY-MM-DD, HH:MM:SS] [INFO] Label: value`, one write per line so
 * that a log file or a pipe always ends on a whole line.
 */
export class LogWriter {
  private readonly out: LineSink;
  private readonly color: boolean;
  private readonly nowMs: () => number;

  constructor(out: LineSink, options: LogWriterOptions = {}) {
    this.out = out;
    this.color = options.color ?? false;
    this.nowMs = options.nowMs ?? Date.now;
  }

  line(level: 'INFO' | 'WARN' | 'ERROR', text: string): void {
    const tag = this.color ? TAG[level](`[${level}]`) : `[${level}]`;
    this.out.write(`${formatStamp(this.nowMs())} ${tag} ${text}\n`);
  }

  info(label: string, value?: string): void {
    this.line('INFO', value === undefined ? label : `${label}: ${value}`);
  }

  warn(text: string): void {
    this.line('WARN', text);
  }

  error(text: string): void {
    this.line('ERROR', text);
  }

  /** Writes a block of `[label, value]` lines with one stamp. */
  block(lines: ReadonlyArray<readonly [string, string]>): void {
    const stamp = formatStamp(this.nowMs());
    const tag = this.color ? TAG.INFO('[INFO]') : '[INFO]';
    let text = '';
    for (const [label, value] of lines) text += `${stamp} ${tag} ${label}: ${value}\n`;
    this.out.write(text);
  }
}
