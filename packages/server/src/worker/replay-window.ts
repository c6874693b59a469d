import { Msg } from '@mdbench/core/worker';

/**
 * The last messages a worker delivered, for event-stream subscribers that come back with a
 * Last-Event-ID: at most `maxBytes` of them and none older than `maxAgeMs`. Recording starts with
 * the worker's first event-stream subscriber (a WebSocket-only run copies nothing).
 */
export class ReplayWindow {
  active = false;
  private subjects: string[] = [];
  private messages: Buffer[] = [];
  private times: number[] = [];
  private head = 0;
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly nowMs: () => number;

  constructor(maxBytes: number, maxAgeMs: number, nowMs: () => number) {
    this.maxBytes = maxBytes;
    this.maxAgeMs = maxAgeMs;
    this.nowMs = nowMs;
  }

  /** Keeps a copy of `message` (a native MESSAGE on `subject`) while recording. */
  record(subject: string, message: Buffer): void {
    if (!this.active) return;
    const now = this.nowMs();
    this.subjects.push(subject);
    this.messages.push(Buffer.from(message));
    this.times.push(now);
    this.bytes += message.length;
    while (this.head < this.messages.length && (this.bytes > this.maxBytes || this.times[this.head] < now - this.maxAgeMs)) {
      this.bytes -= this.messages[this.head].length;
      this.head++;
    }
    // The dropped front is cut off now and then, not on every message.
    if (this.head > 4096 && this.head * 2 > this.messages.length) {
      this.subjects = this.subjects.slice(this.head);
      this.messages = this.messages.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * The messages on `subject` after the one from `publisherId` with `seq`, oldest first; null when
   * that one is no longer (or never was) in the window.
   */
  after(subject: string, publisherId: number, seq: number): Buffer[] | null {
    for (let i = this.messages.length - 1; i >= this.head; i--) {
      if (this.subjects[i] !== subject) continue;
      const m = this.messages[i];
      if (m.readUInt32BE(Msg.PUBLISHER_ID) !== publisherId || m.readUInt32BE(Msg.SEQ) !== seq) continue;
      const out: Buffer[] = [];
      for (let j = i + 1; j < this.messages.length; j++) if (this.subjects[j] === subject) out.push(this.messages[j]);
      return out;
    }
    return null;
  }
}
