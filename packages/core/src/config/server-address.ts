import { MdbenchError } from '../errors.js';

/** A server to connect to: `host:port`, `[v6]:port` or `ws://host:port/path`. */
export interface ServerAddress {
  host: string;
  port: number;
  path: string;
  /** As written, for messages. */
  text: string;
}

export function parseServerAddress(text: string): ServerAddress {
  const t = text.trim();
  const m = /^(?:ws:\/\/)?(?:\[([^\]]+)\]|([^:/\s]+)):(\d{1,5})(\/\S*)?$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new MdbenchError('MDB_CONFIG_VALUE', `"${text}" is not a server address like 127.0.0.1:8800 or ws://host:8800/path`);
  }
  return { host: m[1] ?? m[2], port, path: m[4] ?? '/', text: t };
}
