/**
 * Engine.IO v4 packets over a WebSocket (one packet per text message; binary messages are the
 * attachments of the Socket.IO packet before them) and the Socket.IO v5 packets inside its
 * `message` packets: `<type>[<attachments>-][<namespace>,][<ack id>][<JSON array or object>]`.
 */

/** The convention's defaults (the --sio-* options' defaults come from here). */
export const SOCKET_IO_DEFAULTS = {
  path: '/socket.io/',
  namespace: '/',
  subscribeEvent: 'subscribe',
  publishEvent: 'publish',
  messageEvent: 'message',
  requestEvent: 'request',
};

/** Engine.IO packet types (the first character of a text message). */
export const Engine = { OPEN: 0, CLOSE: 1, PING: 2, PONG: 3, MESSAGE: 4, UPGRADE: 5, NOOP: 6 } as const;

/** Socket.IO packet types (the character after Engine.IO's `4`). */
export const Sio = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4, BINARY_EVENT: 5, BINARY_ACK: 6 } as const;

/** A Socket.IO packet as read from a text message (after Engine.IO's `4`). */
export interface SioPacket {
  type: number;
  /** Binary attachments that follow as their own messages. */
  attachments: number;
  namespace: string;
  id: number | undefined;
  data: unknown;
}

/** Attachments one binary packet may declare. */
const MAX_ATTACHMENTS = 10;

/** The Engine.IO path query a WebSocket-only client connects with, after the server's path. */
const ENGINE_QUERY = '?EIO=4&transport=websocket';

/** The WebSocket path of a Socket.IO server mounted at `path` (`/socket.io/` -> `/socket.io/?EIO=4&transport=websocket`). */
export function enginePath(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return `${p.endsWith('/') ? p : `${p}/`}${ENGINE_QUERY}`;
}

/** A namespace as it prefixes a packet: nothing for the main one, `/chat,` for another. */
function namespacePrefix(namespace: string): string {
  return namespace === '/' ? '' : `${namespace},`;
}

/** One Socket.IO packet (the text after Engine.IO's `4`), or why it is not one. */
export function decodePacket(text: string): SioPacket | string {
  const type = text.charCodeAt(0) - 48;
  if (!(type >= 0 && type <= 6)) return `Socket.IO packet of unknown type ${JSON.stringify(text.slice(0, 1))}`;
  let i = 1;
  let attachments = 0;
  if (type === Sio.BINARY_EVENT || type === Sio.BINARY_ACK) {
    const dash = text.indexOf('-', i);
    const n = dash > i ? Number(text.slice(i, dash)) : NaN;
    if (!Number.isInteger(n) || n < 0) return 'Socket.IO binary packet without its count of attachments';
    // As socket.io-parser's maxAttachments: a count past it would swallow every later message as an attachment.
    if (n > MAX_ATTACHMENTS) return `Socket.IO binary packet declaring ${n > 1e6 ? 'over a million' : n} attachments (at most ${MAX_ATTACHMENTS})`;
    attachments = n;
    i = dash + 1;
  }
  let namespace = '/';
  if (text[i] === '/') {
    const comma = text.indexOf(',', i);
    namespace = comma < 0 ? text.slice(i) : text.slice(i, comma);
    i = comma < 0 ? text.length : comma + 1;
  }
  let end = i;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  const id = end > i ? Number(text.slice(i, end)) : undefined;
  let data: unknown;
  if (end < text.length) {
    try {
      data = JSON.parse(text.slice(end));
    } catch {
      return 'Socket.IO packet whose data is not JSON';
    }
  }
  return { type, attachments, namespace, id, data };
}

/** The namespace connect (`40`, `40/chat,`), with the login as its auth payload when given. */
export function connectPacket(namespace: string, auth: Record<string, string> | undefined): string {
  return `40${namespacePrefix(namespace)}${auth ? JSON.stringify(auth) : ''}`;
}

/** An event (`42`), with an acknowledgement id when one is asked for. */
export function eventPacket(namespace: string, id: number | undefined, args: unknown[]): string {
  return `42${namespacePrefix(namespace)}${id ?? ''}${JSON.stringify(args)}`;
}

/** The placeholder a binary event carries for its first attachment. */
const PLACEHOLDER = '{"_placeholder":true,"num":0}';

/**
 * The text of a binary event `event(subject, <attachment>)`: `451-` then the namespace, then
 * `["event","subject",{placeholder}]`. The attachment follows as a binary message of its own.
 */
export function binaryEventText(namespace: string, event: string, subject: string): string {
  return `451-${namespacePrefix(namespace)}[${JSON.stringify(event)},${JSON.stringify(subject)},${PLACEHOLDER}]`;
}
