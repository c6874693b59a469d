import type { Socket } from 'node:net';
import type { DeflateParams, FragmentJoin, PartialFrame } from '@mdbench/core/worker';

/** Where a peer's connection is: STREAM an event stream, POSTS an HTTP publisher's keep-alive connection. */
export const PeerState = { UPGRADING: 0, OPEN: 1, CLOSING: 2, STREAM: 3, POSTS: 4 } as const;

/**
 * The few fields a server connection carries, on the socket itself (no wrapper object, no closure,
 * no timer): its state, the unfinished bytes of a request head or frame, its subjects, and the
 * parts of a fragmented message (rare).
 */
interface PeerFields {
  mdbState: number;
  /** An unfinished request head (Buffer) or frame (PartialFrame). */
  mdbPending: Buffer | PartialFrame | null;
  mdbSubjects: string | Set<string> | null;
  mdbFragments: FragmentJoin | null;
  /** permessage-deflate as agreed, or null. */
  mdbDeflate: DeflateParams | null;
  /** What the peer's compressor may still refer to, when it keeps its context (else null). */
  mdbInflateHistory: Buffer | null;
  /** An event-stream subscriber: messages go to it as events, not frames. */
  mdbSse: boolean;
}
export type Peer = Socket & PeerFields;
