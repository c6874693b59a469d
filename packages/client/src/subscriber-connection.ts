import { WsClientConnection, observeSeq, startStream, type IntegrityCounts, type SeqStream, type WsClientContext } from '@mdbench/core';

/**
 * One subscriber connection: its fleet index, its subjects, and the sequence state of the streams it
 * receives. The first (publisher, subject) stream is kept inline (the connection is itself the
 * SeqStream), any further ones in a small map: hundreds of thousands of these live in a worker.
 */
export class SubscriberConnection extends WsClientConnection implements SeqStream {
  readonly index: number;
  /** The subject, or the subjects when it subscribes to several. */
  subjects: string | string[] = '';
  subscribed = false;
  everOpened = false;
  /** Failed (re)connect attempts since it was last open. */
  attempt = 0;
  /** When it dropped (ms, monotonic), 0 while open or never opened. */
  downSinceMs = 0;
  /** Publisher of the inline stream; -1 until the first message. */
  private streamPub = -1;
  /** Subject of the inline stream, kept only with several subjects per connection. */
  private streamSubject: string | null = null;
  first = 0;
  last = 0;
  window = 0;
  private more: Map<string, SeqStream> | null = null;

  constructor(ctx: WsClientContext<SubscriberConnection>, index: number) {
    super(ctx);
    this.index = index;
  }

  /** True when `subject` is one this connection subscribed to. */
  hasSubject(subject: string): boolean {
    return typeof this.subjects === 'string' ? this.subjects === subject : this.subjects.includes(subject);
  }

  /** Accounts message `seq` of publisher `pub` on `subject` (one this connection subscribed to) in `c`. */
  observe(pub: number, subject: string, seq: number, c: IntegrityCounts): void {
    const single = typeof this.subjects === 'string';
    if (this.streamPub === -1) {
      this.streamPub = pub;
      if (!single) this.streamSubject = subject;
      this.first = this.last = seq;
      this.window = 0;
      return;
    }
    if (pub === this.streamPub && (single || subject === this.streamSubject)) {
      observeSeq(this, seq, c);
      return;
    }
    const key = `${pub}/${subject}`;
    const s = (this.more ??= new Map()).get(key);
    if (s) observeSeq(s, seq, c);
    else this.more.set(key, startStream(seq));
  }
}
