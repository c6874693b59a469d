import { MdbenchError } from '../errors.js';
import { compilePatternList, toArray } from './ranges.js';

/** The most servers a list may name. */
const MAX_SERVERS = 10_000;

/** A server to connect to: `host:port`, `[v6]:port`, `ws://host:port/path` (or `http://`, `https://` for HTTP transports). */
export interface ServerAddress {
  host: string;
  port: number;
  path: string;
  /** The address named its path (else `path` is `/`, or the protocol's own: Socket.IO's). */
  pathGiven: boolean;
  /** wss://: TLS. */
  tls: boolean;
  /** As written, for messages. */
  text: string;
}

function parseServerAddress(text: string): ServerAddress {
  const t = text.trim();
  const m = /^(?:(wss?|https?):\/\/)?(?:\[([^\]]+)\]|([^:/\s]+)):(\d{1,5})(\/\S*)?$/i.exec(t);
  const port = m ? Number(m[4]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new MdbenchError(
      'MDB_CONFIG_VALUE',
      `"${text}" is not a server address like 127.0.0.1:8800, ws://host:8800/path, wss://host:443/path or http(s)://host:port`,
    );
  }
  return { host: m[2] ?? m[3], port, path: m[5] ?? '/', pathGiven: m[5] !== undefined, tls: /^(wss|https)$/i.test(m[1] ?? ''), text: t };
}

/** Expands `ServerAddresses` (comma-separated, brace-expanded) into addresses; throws one line naming the bad one. */
export function resolveServers(text: string): ServerAddress[] {
  return toArray(compilePatternList(text), MAX_SERVERS).map(parseServerAddress);
}
