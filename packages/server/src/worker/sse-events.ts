import { Msg, TEXT_STAMP_BYTES, encodeMessage, newStamp, readStamp, readU64, writeStamp, type Stamp } from '@mdbench/core/worker';

/**
 * Native messages as Server-Sent Events, and HTTP-posted payloads as native messages: the two
 * conversions that let SSE subscribers and HTTP publishers share the router and the hub with
 * WebSocket ones.
 *
 * An event is `id: PUBLISHER-SEQ`, then `data:` with the message's text stamp (57 bytes) and the rest
 * of its payload as printable characters (a binary payload byte by byte mapped into A-Za-z0-9+/), so
 * the data is exactly as long as the payload; the id lets a reconnecting subscriber resume.
 */

const PRINTABLE = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const ID = Buffer.from('id: ');
const DATA = Buffer.from('\ndata: ');
const END = Buffer.from('\n\n');

/** The event id of a message from publisher `publisherId` with sequence `seq`. */
function eventId(publisherId: number, seq: number): string {
  return `${publisherId.toString(16)}-${seq}`;
}

/** The event of a native MESSAGE frame (its subject at Msg.HEADER_BYTES, its payload after). */
export function sseEventOf(message: Buffer): Buffer {
  const subjectBytes = message.readUInt16BE(Msg.SUBJECT_LENGTH);
  const from = Msg.HEADER_BYTES + subjectBytes;
  const payload = message.subarray(from);
  const stamp: Stamp = newStamp();
  stamp.publisherId = message.readUInt32BE(Msg.PUBLISHER_ID);
  stamp.seq = message.readUInt32BE(Msg.SEQ);
  stamp.scheduledUs = readU64(message, Msg.SCHEDULED_US);
  stamp.sentUs = readU64(message, Msg.SENT_US);
  const id = Buffer.from(eventId(stamp.publisherId, stamp.seq), 'latin1');
  const dataBytes = Math.max(payload.length, TEXT_STAMP_BYTES);
  const out = Buffer.allocUnsafe(ID.length + id.length + DATA.length + dataBytes + END.length);
  let at = ID.copy(out, 0);
  at += id.copy(out, at);
  at += DATA.copy(out, at);
  // A payload posted by an HTTP publisher already starts with the text stamp and is printable: as it is.
  const scratch = newStamp();
  if (readStamp(payload, 0, payload.length, scratch) && payload[0] === 0x4d) at += payload.copy(out, at);
  else {
    writeStamp(out, at, stamp, 'text');
    for (let i = TEXT_STAMP_BYTES; i < payload.length; i++) out[at + i] = PRINTABLE[payload[i] & 63];
    at += dataBytes;
  }
  END.copy(out, at);
  return out;
}

/**
 * A posted payload as the native MESSAGE a WebSocket publisher would have sent: its stamp (text or
 * binary, at its start) in the header, the payload as it came. Null when it carries no stamp.
 */
export function messageOfPost(subject: string, body: Buffer): Buffer | null {
  const stamp = newStamp();
  if (!readStamp(body, 0, body.length, stamp)) return null;
  return encodeMessage({ subject, ...stamp }, body);
}

/** The (publisher, seq) of an event id, or null for one this server did not write. */
export function parseEventId(id: string): { publisherId: number; seq: number } | null {
  const m = /^([0-9a-f]{1,8})-(\d{1,10})$/.exec(id);
  return m ? { publisherId: Number.parseInt(m[1], 16), seq: Number(m[2]) } : null;
}
