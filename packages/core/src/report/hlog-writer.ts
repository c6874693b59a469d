import { closeSync, openSync, writeSync } from 'node:fs';
import * as hdr from 'hdr-histogram-js';

/**
 * HdrHistogram's standard interval log (.hlog), as HistogramLogProcessor and the HdrHistogram plotters
 * read it: values in microseconds, max reported in milliseconds. Synchronous writes, so a signal
 * loses nothing already reported.
 */
export class HlogWriter {
  private fd: number | null;
  private readonly writer: hdr.HistogramLogWriter;

  constructor(path: string, startMs: number, comment: string) {
    this.fd = openSync(path, 'w');
    this.writer = new hdr.HistogramLogWriter((text: string) => {
      if (this.fd !== null) writeSync(this.fd, text);
    });
    this.writer.outputComment(comment);
    this.writer.outputLogFormatVersion();
    this.writer.outputStartTime(startMs);
    this.writer.baseTime = startMs;
    this.writer.outputLegend();
  }

  /** One interval: `startSec`/`endSec` relative to the log's start time. */
  interval(h: hdr.Histogram, startSec: number, endSec: number): void {
    this.writer.outputIntervalHistogram(h, startSec, endSec, 1000);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
