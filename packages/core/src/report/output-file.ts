import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { ExitCode, MdbenchError } from '../errors.js';

/**
 * A file a run writes its records to (`--json`, `--hlog`): opened, and truncated, before the run
 * starts anything, so a path that cannot be written is exit 2 before any connection or worker;
 * written synchronously, so a signal loses nothing already reported. A write that fails mid-run
 * (a full disk: ENOSPC) does not end the run: the file is closed, the failure kept, `onFail` told
 * once, and the run ends as usual with its summary printed and exit code 5 (`OUTPUT`).
 */
export class OutputFile {
  private fd: number | null;
  /** Why writing stopped (`ENOSPC after 1,234,567 bytes`), or null. */
  failure: string | null = null;
  private bytes = 0;
  readonly path: string;
  readonly what: string;
  private readonly onFail: (message: string) => void;

  constructor(path: string, what: string, onFail: (message: string) => void = () => {}) {
    this.path = path;
    this.what = what;
    this.onFail = onFail;
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw new MdbenchError('MDB_OUTPUT', `cannot write the ${what} ${path}: ${describe(err)}`, { exitCode: ExitCode.CONFIG });
    }
  }

  /** Writes whole records or nothing: a write cut short (disk full) is taken back, so the file ends on a whole line. */
  write(text: string): void {
    if (this.fd === null) return;
    const buf = Buffer.from(text);
    try {
      const n = writeSync(this.fd, buf);
      if (n < buf.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      this.bytes += n;
    } catch (err) {
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        /* what is there stays */
      }
      this.fail(err);
    }
  }

  /** Asks the kernel to put what was written on the disk (each interval: a crash of the host loses at most one). */
  sync(): void {
    const fd = this.fd;
    if (fd === null) return;
    try {
      fsyncSync(fd);
    } catch (err) {
      this.fail(err);
    }
  }

  /** Closes the file; a failure to (a full disk found only now) is kept like any other. */
  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      closeSync(fd);
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        /* already failing */
      }
    }
    this.fd = null;
    if (this.failure !== null) return;
    this.failure = `${describe(err)} after ${this.bytes} bytes`;
    this.onFail(`cannot write the ${this.what} ${this.path} any more: ${this.failure}; the run goes on, and its summary is printed`);
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

/** The exit code of a run whose outputs are `files`: OUTPUT when one of them failed, else `code`. */
export function exitWithOutputs(code: number, files: ReadonlyArray<OutputFile | null | undefined>): number {
  return files.some((f) => f?.failure) ? ExitCode.OUTPUT : code;
}

/** For the Result line: each output file that failed (`JSON-lines file /x.jsonl not written whole: ENOSPC after 4,096 bytes`). */
export function outputProblems(files: ReadonlyArray<OutputFile | null | undefined>): string[] {
  return files.filter((f): f is OutputFile => !!f?.failure).map((f) => `${f.what} ${f.path} not written whole: ${f.failure}`);
}
