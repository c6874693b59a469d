import {
  CloseCode,
  FrameType,
  decodeSubjectList,
  encodeServerFrame,
  encodeSubjectList,
  encodeTimeResponse,
  frameType,
  messageSubject,
  replyTo,
  Opcode,
  ProtocolError,
  type Clock,
} from '@mdbench/core/worker';
import type { WorkerStats } from '../worker-config.js';
import type { Peer } from './peer.js';
import type { MessageHandler, Peers } from './peers.js';
import type { Packed, Router } from './router.js';

export interface NativeHandlerOptions {
  router: Router<Peer>;
  stats: WorkerStats;
  clock: Clock;
  /** Where a published message goes after the test hooks: local delivery and the hub (`packed`: as it came compressed). */
  publish(message: Buffer, subject: string, packed: Packed | null): void;
  /** Subjects one connection may hold (--max-subjects). */
  maxSubjects: number;
  /** TEST ONLY: drop every Nth published message (0: none); shift clock answers by this many µs. */
  testDropEvery: number;
  testClockOffsetUs: number;
}

/**
 * The native protocol on the server side (docs/protocol.md): SUBSCRIBE answered with SUBACK,
 * UNSUBSCRIBE, MESSAGE forwarded as the same bytes, TIME_REQUEST answered with the server's time.
 * A frame that does not decode closes the connection with 1007.
 */
export class NativeHandler implements MessageHandler {
  peers: Peers | null = null;
  private readonly options: NativeHandlerOptions;
  private published = 0;

  constructor(o: NativeHandlerOptions) {
    this.options = o;
  }

  subscribeStream(peer: Peer, subject: string): void {
    if (hasSubject(peer, subject)) return;
    addSubject(peer, subject);
    this.options.router.subscribe(peer, subject);
  }

  onMessage(peer: Peer, data: Buffer, packed: Packed | null = null): void {
    const { stats, router } = this.options;
    try {
      switch (frameType(data)) {
        case FrameType.MESSAGE: {
          stats.messagesIn++;
          const subject = messageSubject(data);
          if (this.options.testDropEvery > 0 && ++this.published % this.options.testDropEvery === 0) {
            stats.testDropped++;
            return;
          }
          this.options.publish(data, subject, packed);
          return;
        }
        case FrameType.SUBSCRIBE: {
          const list = decodeSubjectList(data);
          for (const s of list) {
            if (hasSubject(peer, s)) continue;
            const over = subjectLimitPassed(peer, s, this.options.maxSubjects);
            if (over) {
              stats.malformed++;
              this.peers?.close(peer, CloseCode.POLICY, over);
              return;
            }
            addSubject(peer, s);
            router.subscribe(peer, s);
          }
          this.peers?.reply(peer, encodeServerFrame(Opcode.BINARY, encodeSubjectList(FrameType.SUBACK, list)));
          return;
        }
        case FrameType.REQUEST:
          // Answered by the server itself: the request's bytes back as the REPLY (mdbench-client --request-rate).
          stats.requests++;
          this.peers?.reply(peer, encodeServerFrame(Opcode.BINARY, replyTo(data)));
          return;
        case FrameType.UNSUBSCRIBE:
          for (const s of decodeSubjectList(data)) if (removeSubject(peer, s)) router.unsubscribe(peer, s);
          return;
        case FrameType.TIME_REQUEST:
          if (data.length < 12) throw new ProtocolError('MDB_PROTO_SHORT', 'time request shorter than 12 bytes');
          this.peers?.reply(peer, encodeServerFrame(Opcode.BINARY, encodeTimeResponse(data, this.options.clock.nowUs() + this.options.testClockOffsetUs)));
          return;
        default:
          throw new ProtocolError('MDB_PROTO_TYPE', `unknown frame type 0x${data[0].toString(16)}`);
      }
    } catch (err) {
      stats.malformed++;
      this.peers?.close(peer, CloseCode.INVALID_DATA, (err as Error).message);
    }
  }

  onGone(peer: Peer): void {
    const subjects = peer.mdbSubjects;
    peer.mdbSubjects = null;
    if (subjects === null) return;
    if (typeof subjects === 'string') this.options.router.unsubscribe(peer, subjects);
    else for (const s of subjects) this.options.router.unsubscribe(peer, s);
  }
}

/** The bytes of one connection's subjects, and of one subject; more is closed with 1008 (each costs the server memory). */
const MAX_SUBJECT_BYTES_PER_CONNECTION = 256 * 1024;
const MAX_SUBJECT_BYTES = 1024;

/** The bytes of the subjects of a peer that holds several (the usual single subject needs no count). */
const setBytes = new WeakMap<Set<string>, number>();

/** Why subscribing `s` would pass a limit of the peer's, or null. */
function subjectLimitPassed(p: Peer, s: string, maxSubjects: number): string | null {
  if (s.length > MAX_SUBJECT_BYTES) return `a subject of over ${MAX_SUBJECT_BYTES} bytes`;
  if (subjectCount(p) >= maxSubjects) return `more than ${maxSubjects} subjects on one connection`;
  if (subjectBytes(p) + s.length > MAX_SUBJECT_BYTES_PER_CONNECTION) return `subjects of more than ${MAX_SUBJECT_BYTES_PER_CONNECTION} bytes on one connection`;
  return null;
}

function subjectBytes(p: Peer): number {
  const cur = p.mdbSubjects;
  return cur === null ? 0 : typeof cur === 'string' ? cur.length : (setBytes.get(cur) ?? 0);
}

// A peer's subjects: one string for the usual single subject, a set beyond (no linear scans).
function subjectCount(p: Peer): number {
  const cur = p.mdbSubjects;
  return cur === null ? 0 : typeof cur === 'string' ? 1 : cur.size;
}

function hasSubject(p: Peer, s: string): boolean {
  const cur = p.mdbSubjects;
  return cur === s || (cur instanceof Set && cur.has(s));
}

function addSubject(p: Peer, s: string): void {
  const cur = p.mdbSubjects;
  if (cur === null) p.mdbSubjects = s;
  else if (typeof cur === 'string') {
    const set = new Set([cur, s]);
    setBytes.set(set, cur.length + s.length);
    p.mdbSubjects = set;
  } else {
    cur.add(s);
    setBytes.set(cur, (setBytes.get(cur) ?? 0) + s.length);
  }
}

function removeSubject(p: Peer, s: string): boolean {
  const cur = p.mdbSubjects;
  if (cur === s) {
    p.mdbSubjects = null;
    return true;
  }
  if (!(cur instanceof Set) || !cur.delete(s)) return false;
  setBytes.set(cur, (setBytes.get(cur) ?? 0) - s.length);
  return true;
}
