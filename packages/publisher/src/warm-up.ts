import { BatchEncoder, type BatchEncoderOptions } from './batch-encoder.js';
import type { PublisherConnection } from './publisher-connection.js';
import { PayloadPool } from '@mdbench/core/internal';
import { SequenceNumbers } from './sequence-numbers.js';

/** Messages encoded (never sent) before the schedule starts. */
const WARM_MESSAGES = 20_000;

/**
 * Runs the publisher's encode path (subject draw, stamp, protocol framing, masking, compression)
 * over messages that are never sent, before the schedule starts, so that its first scheduled
 * messages are not sent by unoptimised code: a connection of its own with no socket, its own
 * sequence numbers (the run's streams start at 1 as ever) and its own lag statistics. A protocol
 * (a plug-in) that cannot encode for such a connection is simply not warmed.
 */
export function warmEncoder(
  options: Omit<BatchEncoderOptions, 'conns' | 'seqs' | 'scheduledUs' | 'nowUs' | 'pool'> & { messageSize: number },
  deflate: PublisherConnection['deflate'],
): void {
  const conn = { ready: true, socket: null, inflight: 0, deflate, data: 0, phase: 0, carry: null } as unknown as PublisherConnection;
  const enc = new BatchEncoder({
    ...options,
    conns: [conn],
    seqs: new SequenceNumbers(options.subjectCount),
    pool: new PayloadPool(options.messageSize),
    scheduledUs: () => 0,
    nowUs: () => 0,
  });
  try {
    for (let k = 0; k < WARM_MESSAGES; k += 100) {
      conn.inflight = 0;
      enc.send(k, 100, 0);
    }
  } catch {
    /* not warmed */
  }
}
