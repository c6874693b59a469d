import { WsClientConnection, observeSeq, startStream, type IntegrityCounts, type SeqStream, type WsClientContext } from '@mdbench/core';

/**
 * One subscriber connection: its fleet index, its subjects, and the sequence state of the stream it
 * receives (one publisher x one subject inline; any further streams in a small map).
 */
export class SubscriberConnection extends WsClientConnection {
  readonly index: number;
  /** The subject, or the subjects when it subscribes to several. */
  subjects: string | string[] = '';
  subscribed = false;
  everOpened = false;
  private streamPub = -1;
  private streamSubject = '';
  private stream: SeqStream | null = null;
  private more: Map<string, SeqStream> | null = null;

  constructor(ctx: WsClientContext<SubscriberConnection>, index: number) {
    super(ctx);
    this.index = index;
  }

  /** True when `subject` is one this connection subscribed to. */
  hasSubject(subject: string): boolean {
    return typeof this.subjects === 'string' ? this.subjects === subject : this.subjects.includes(subject);
  }

  /** Accounts message `seq` of publisher `pub` on `subject` in `c`. */
  observe(pub: number, subject: string, seq: number, c: IntegrityCounts): void {
    if (this.stream === null) {
      this.streamPub = pub;
      this.streamSubject = subject;
      this.stream = startStream(seq);
      return;
    }
    if (pub === this.streamPub && subject === this.streamSubject) {
      observeSeq(this.stream, seq, c);
      return;
    }
    const key = `${pub}/${subject}`;
    const s = (this.more ??= new Map()).get(key);
    if (s) observeSeq(s, seq, c);
    else this.more.set(key, startStream(seq));
  }
}
