import { OutputFile } from './output-file.js';
import type { MdbenchRecord } from './records.js';

/**
 * One JSON record per line (`--json`), in a file truncated at the start of the run and written
 * synchronously, so that a run stopped by a signal has every record it reported on disk; a write
 * that fails (disk full) is kept as the file's `failure` (see OutputFile).
 */
export class JsonLinesWriter {
  readonly file: OutputFile;

  constructor(path: string, onFail?: (message: string) => void) {
    this.file = new OutputFile(path, 'JSON-lines file', onFail);
  }

  /** Writes a record; an interval or a summary is also put on the disk (fsync), so a host crash loses at most one interval. */
  write(record: MdbenchRecord): void {
    this.file.write(`${JSON.stringify(record)}\n`);
    const type = (record as { type?: string }).type;
    if (type === 'interval' || type === 'summary') this.file.sync();
  }

  close(): void {
    this.file.close();
  }
}
