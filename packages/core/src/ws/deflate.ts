import { CloseCode, WsProtocolError } from './frames.js';
import { deflateRaw, inflateRaw } from './zlib-engine.js';

/**
 * permessage-deflate (RFC 7692), stateless by design: every message is compressed and inflated on
 * its own by one zlib stream per process reset after each message (zlib-engine.ts), so an idle
 * connection holds no zlib state at all (a zlib
 * stream per connection, ~300 KB to deflate and ~40 KB to inflate at 15 window bits, is what a
 * million sockets cannot afford). A peer that keeps its compression context between messages
 * (context takeover, as browsers allow) is read with the previous messages' bytes given to zlib as
 * the dictionary: the history kept per connection is at most 2^window-bits bytes, and only for such
 * peers. Our own side never keeps a context: it says so (`*_no_context_takeover`) in what it sends.
 */

/** What was agreed for one connection. */
export interface DeflateParams {
  /** The server resets its compressor after every message: its messages inflate alone. */
  serverNoContextTakeover: boolean;
  /** The client resets its compressor after every message. */
  clientNoContextTakeover: boolean;
  /** The LZ77 window of the server's compressor, bits (8-15). */
  serverMaxWindowBits: number;
  /** The LZ77 window of the client's compressor, bits (8-15). */
  clientMaxWindowBits: number;
}

/** What a client asks for. */
export interface DeflateOffer {
  /** Let the server keep its context between messages (as browsers do): history is then kept here per connection. */
  takeover: boolean;
  /** The largest window the server may use (15: no limit asked); bounds the history kept with takeover. */
  windowBits: number;
}

const NAME = 'permessage-deflate';
const MIN_BITS = 8;
const MAX_BITS = 15;

/** The Sec-WebSocket-Extensions value a client sends: no context first, then (fallback) one the server may keep. */
export function deflateOfferHeader(offer: DeflateOffer): string {
  const bits = offer.windowBits < MAX_BITS ? `; server_max_window_bits=${offer.windowBits}` : '';
  const lean = `${NAME}; server_no_context_takeover; client_no_context_takeover; client_max_window_bits${bits}`;
  const keeping = `${NAME}; client_no_context_takeover; client_max_window_bits${bits}`;
  return offer.takeover ? keeping : `${lean}, ${keeping}`;
}

/** One offer or response: its parameters by name, `true` for a parameter without value. */
type Params = Map<string, string | true>;

/** Parses a Sec-WebSocket-Extensions value into its extensions (name and parameters), in order; null when malformed. */
function parseExtensions(value: string): { name: string; params: Params }[] | null {
  const out: { name: string; params: Params }[] = [];
  for (const ext of value.split(',')) {
    const [name, ...rest] = ext.split(';').map((s) => s.trim());
    if (!/^[\w.-]+$/.test(name)) return null;
    const params: Params = new Map();
    for (const p of rest) {
      const m = /^([\w-]+)(?:\s*=\s*"?(\d+)"?)?$/.exec(p);
      if (!m || params.has(m[1])) return null;
      params.set(m[1], m[2] ?? true);
    }
    out.push({ name, params });
  }
  return out;
}

function bits(v: string | true | undefined, absent: number): number | null {
  if (v === undefined) return absent;
  if (v === true) return null;
  const n = Number(v);
  return Number.isInteger(n) && n >= MIN_BITS && n <= MAX_BITS ? n : null;
}

/**
 * Checks the server's answer to `offer`: the parameters it agreed to, or throws (the handshake
 * fails: the server chose something not offered or malformed). Absent header: no compression.
 */
export function acceptDeflateResponse(value: string | undefined, offer: DeflateOffer): DeflateParams | null {
  if (value === undefined) return null;
  const exts = parseExtensions(value);
  if (exts?.length !== 1 || exts[0].name !== NAME) throw new Error(`server chose extensions "${value.slice(0, 80)}" that were not offered`);
  const p = exts[0].params;
  for (const k of p.keys()) {
    if (!['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'].includes(k))
      throw new Error(`server answered permessage-deflate with unknown parameter ${k}`);
  }
  for (const k of ['server_no_context_takeover', 'client_no_context_takeover']) if (p.has(k) && p.get(k) !== true) throw new Error(`${k} takes no value`);
  const server = bits(p.get('server_max_window_bits'), MAX_BITS);
  const client = bits(p.get('client_max_window_bits'), MAX_BITS);
  if (server === null || client === null) throw new Error('server answered permessage-deflate with a bad max_window_bits');
  // Absent, the server may use any window (15 bits): lenient, since the history kept then covers it.
  if (p.has('server_max_window_bits') && server > offer.windowBits)
    throw new Error(`server chose server_max_window_bits=${server} above the ${offer.windowBits} offered`);
  return {
    serverNoContextTakeover: p.has('server_no_context_takeover'),
    clientNoContextTakeover: true, // we never keep ours, whatever the server allows
    serverMaxWindowBits: server,
    clientMaxWindowBits: client,
  };
}

/**
 * The server's side: the first acceptable offer of the client's header and the response value for
 * it, or null (no offer of permessage-deflate it can take). The server never keeps a context (it
 * compresses a message once for every subscriber), and says so.
 */
export function negotiateDeflate(value: string | undefined): { params: DeflateParams; response: string } | null {
  if (value === undefined) return null;
  for (const ext of parseExtensions(value) ?? []) {
    if (ext.name !== NAME) continue;
    const p = ext.params;
    const known = ['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'];
    if ([...p.keys()].some((k) => !known.includes(k))) continue;
    if ([p.get('server_no_context_takeover'), p.get('client_no_context_takeover')].some((v) => v !== undefined && v !== true)) continue;
    const server = bits(p.get('server_max_window_bits'), MAX_BITS);
    const clientValue = p.get('client_max_window_bits');
    const client = clientValue === true ? MAX_BITS : bits(clientValue, MAX_BITS);
    if (server === null || client === null) continue;
    let response = `${NAME}; server_no_context_takeover`;
    if (p.has('client_no_context_takeover')) response += '; client_no_context_takeover';
    if (p.has('server_max_window_bits')) response += `; server_max_window_bits=${server}`;
    if (typeof clientValue === 'string') response += `; client_max_window_bits=${client}`;
    return {
      params: {
        serverNoContextTakeover: true,
        clientNoContextTakeover: p.has('client_no_context_takeover'),
        serverMaxWindowBits: server,
        clientMaxWindowBits: client,
      },
      response,
    };
  }
  return null;
}

/** The window a message of `n` bytes needs (no context: distances never reach past its start). */
function windowFor(n: number): number {
  let b = 9;
  while (b < MAX_BITS && 1 << b < n) b++;
  return b;
}

/**
 * `data` compressed as one permessage-deflate message (the trailing 00 00 ff ff removed), with a
 * window no larger than `maxWindowBits`; null when compressing does not make it smaller or the
 * message needs a window the peer did not allow (it then goes uncompressed: RSV1 is per message).
 */
export function deflateMessage(data: Uint8Array, maxWindowBits: number): Buffer | null {
  const windowBits = windowFor(data.length);
  if (windowBits > Math.max(maxWindowBits, 9) || (maxWindowBits < 9 && data.length > 256)) return null;
  const out = deflateRaw(data, windowBits);
  if (out.length - 4 >= data.length) return null;
  return out.subarray(0, out.length - 4);
}

/**
 * Inflates one compressed message (its frames' payloads joined). `history` is what the peer's
 * compressor may still refer to (context takeover), or null. Throws WsProtocolError: 1009 when the
 * result would exceed `maxPayload` (zlib stops there: a small bomb cannot allocate more), 1007 when
 * the data is not valid deflate.
 */
export function inflateMessage(data: Buffer, maxPayload: number, history: Buffer | null): Buffer {
  let out: Buffer | null;
  try {
    out = inflateRaw(data, maxPayload, history !== null && history.length > 0 ? history : null);
  } catch (err) {
    throw new WsProtocolError(`compressed message is not valid deflate data (${(err as Error).message})`, CloseCode.INVALID_DATA);
  }
  if (out === null) throw new WsProtocolError(`compressed message inflates beyond the ${maxPayload}-byte limit`, CloseCode.TOO_BIG);
  return out;
}

/** The history a context-keeping peer's next message may refer to: the last 2^bits bytes of what it sent. */
export function nextHistory(history: Buffer | null, message: Buffer, windowBits: number): Buffer {
  const keep = 1 << windowBits;
  const fromOld = Math.min(history?.length ?? 0, Math.max(0, keep - message.length));
  const fromNew = Math.min(message.length, keep);
  const out = Buffer.allocUnsafe(fromOld + fromNew);
  if (fromOld > 0) (history as Buffer).copy(out, 0, (history as Buffer).length - fromOld);
  message.copy(out, fromOld, message.length - fromNew);
  return out;
}

/** The offer of a client or publisher's compression options (compressionClientSpecs), or undefined for none. */
export function deflateOfferOf(options: { compression: 'none' | 'deflate'; deflateTakeover: boolean; deflateWindowBits: number }): DeflateOffer | undefined {
  return options.compression === 'deflate' ? { takeover: options.deflateTakeover, windowBits: options.deflateWindowBits } : undefined;
}
