import { closeSync, openSync, writeSync } from 'node:fs';
import type { MdbenchRecord } from './records.js';

/**
 * Appends one JSON record per line to a file with a synchronous write each, so that a run stopped by
 * a signal has every record it reported on disk.
 */
export class JsonLinesWriter {
  private fd: number | null;

  constructor(path: string) {
    this.fd = openSync(path, 'a');
  }

  write(record: MdbenchRecord): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
