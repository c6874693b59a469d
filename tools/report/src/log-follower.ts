import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseLine, type LogRecord } from './read-logs.js';

/** What one file has given so far: where the next read starts, an unfinished last line, its records. */
interface FileState {
  offset: number;
  partial: string;
  lineNo: number;
}

/**
 * Logs that grow while a fleet writes them, read a second at a time from where the last read ended
 * (never whole again). A line that is not a record is said once, with its file and line, and skipped:
 * the rest of the log goes on being read.
 */
export class LogFollower {
  readonly records: LogRecord[] = [];
  private readonly files = new Map<string, FileState>();
  private readonly warn: (message: string) => void;

  constructor(warn: (message: string) => void) {
    this.warn = warn;
  }

  /** Reads what `files` gained since the last call; returns how many records were added. */
  read(files: readonly string[]): number {
    const before = this.records.length;
    for (const file of files) this.readFile(file);
    return this.records.length - before;
  }

  private readFile(file: string): void {
    let state = this.files.get(file);
    if (!state) this.files.set(file, (state = { offset: 0, partial: '', lineNo: 0 }));
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      // A log that was truncated or replaced is read again from its start.
      if (size < state.offset) Object.assign(state, { offset: 0, partial: '', lineNo: 0 });
      if (size === state.offset) return;
      const buf = Buffer.allocUnsafe(size - state.offset);
      const got = readSync(fd, buf, 0, buf.length, state.offset);
      state.offset += got;
      const lines = (state.partial + buf.toString('utf8', 0, got)).split('\n');
      // The last piece has no newline yet: a line still being written, read when it is whole.
      state.partial = lines.pop() ?? '';
      for (const line of lines) this.take(line, file, ++state.lineNo);
    } finally {
      closeSync(fd);
    }
  }

  private take(line: string, file: string, lineNo: number): void {
    try {
      const r = parseLine(line, file, lineNo);
      if (r) this.records.push(r);
    } catch (err) {
      this.warn(`${file}:${lineNo}: ${(err as Error).message}; the line is skipped`);
    }
  }
}
