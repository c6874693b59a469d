import * as hdr from 'hdr-histogram-js';
import { OutputFile } from './output-file.js';

/**
 * HdrHistogram's standard interval log (.hlog), as HistogramLogProcessor and the HdrHistogram plotters
 * read it: values in microseconds, max reported in milliseconds. Synchronous writes, so a signal
 * loses nothing already reported.
 */
export class HlogWriter {
  readonly file: OutputFile;
  private readonly writer: hdr.HistogramLogWriter;

  constructor(path: string, startMs: number, comment: string, onFail?: (message: string) => void) {
    this.file = new OutputFile(path, 'histogram log', onFail);
    this.writer = new hdr.HistogramLogWriter((text: string) => this.file.write(text));
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
    this.file.close();
  }
}
