/**
 * The graphql-transport-ws subprotocol's messages (graphql-ws's Protocol.md): JSON objects, one per
 * WebSocket text message. What mdbench sends is written here; what a server sends is read by
 * `readMessage`, which checks the shape it relies on and says what is wrong otherwise.
 */

export const GRAPHQL_WS_SUBPROTOCOL = 'graphql-transport-ws';

/** The default subscription and publishing mutation (the --gql-* options' defaults come from here). */
export const DEFAULT_SUBSCRIPTION = 'subscription ($subject: String!) { messages(subject: $subject) }';
export const DEFAULT_PUBLISH = 'mutation ($subject: String!, $payload: String!) { publish(subject: $subject, payload: $payload) }';
/** A request (--request-rate): an operation whose result is the reply (examples/graphql-server answers `echo`). */
export const DEFAULT_REQUEST = 'query ($subject: String!, $payload: String!) { echo(subject: $subject, payload: $payload) }';

/** A message from the server, as much of it as a client acts on. */
export type ServerMessage =
  | { type: 'connection_ack' | 'ping' | 'pong' }
  | { type: 'next'; id: string; data: Record<string, unknown> | null; errors: GraphqlError[] }
  | { type: 'error'; id: string; errors: GraphqlError[] }
  | { type: 'complete'; id: string };

export interface GraphqlError {
  message: string;
}

/** One server message, or the reason it is not one (a string). */
export function readMessage(text: string): ServerMessage | string {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return 'graphql-ws message that is not JSON';
  }
  try {
    return messageOf(m);
  } catch {
    // Nesting deep enough to exhaust the stack while its errors are read: malformed, not a broken session.
    return 'graphql-ws message nested too deeply to read';
  }
}

function messageOf(m: unknown): ServerMessage | string {
  if (typeof m !== 'object' || m === null) return 'graphql-ws message that is not an object';
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'connection_ack':
    case 'ping':
    case 'pong':
      return { type: o.type };
    case 'next': {
      if (typeof o.id !== 'string') return 'graphql-ws next without an id';
      const payload = o.payload as { data?: unknown; errors?: unknown } | undefined;
      if (typeof payload !== 'object' || payload === null) return 'graphql-ws next without a payload';
      const data = typeof payload.data === 'object' ? (payload.data as Record<string, unknown> | null) : null;
      return { type: 'next', id: o.id, data, errors: errorsOf(payload.errors) };
    }
    case 'error':
      if (typeof o.id !== 'string') return 'graphql-ws error without an id';
      return { type: 'error', id: o.id, errors: errorsOf(o.payload) };
    case 'complete':
      if (typeof o.id !== 'string') return 'graphql-ws complete without an id';
      return { type: 'complete', id: o.id };
    default:
      return `graphql-ws message of unknown type ${JSON.stringify(o.type)?.slice(0, 40)}`;
  }
}

function errorsOf(v: unknown): GraphqlError[] {
  if (!Array.isArray(v)) return [];
  return v.map((e) => ({ message: typeof e?.message === 'string' ? e.message : JSON.stringify(e).slice(0, 120) }));
}

/** connection_init, with the login (user, password, token) in its payload when given. */
export function connectionInit(login: { user?: string; password?: string; token?: string }): string {
  const payload: Record<string, string> = {};
  if (login.user !== undefined) payload.user = login.user;
  if (login.password !== undefined) payload.password = login.password;
  if (login.token !== undefined) payload.token = login.token;
  return JSON.stringify({ type: 'connection_init', payload });
}

/** A subscribe of operation `id`: the query and its variables. */
export function subscribeMessage(id: string, query: string, variables: Record<string, string>): string {
  return JSON.stringify({ id, type: 'subscribe', payload: { query, variables } });
}

export const PING = JSON.stringify({ type: 'ping' });
export const PONG = JSON.stringify({ type: 'pong' });

/** Digits of a publisher's operation ids: fixed, so a publish's size does not depend on its id. */
export const PUBLISH_ID_DIGITS = 10;

/**
 * The parts of a publishing mutation around its id, subject and payload: the message is
 * `head + id + middle + JSON(subject) + tail + payload + end`, written without building a string per message.
 */
export function publishParts(query: string): { head: Buffer; middle: Buffer; tail: Buffer; end: Buffer } {
  return {
    head: Buffer.from('{"id":"'),
    middle: Buffer.from(`","type":"subscribe","payload":{"query":${JSON.stringify(query)},"variables":{"subject":`),
    tail: Buffer.from(',"payload":"'),
    end: Buffer.from('"}}}'),
  };
}
