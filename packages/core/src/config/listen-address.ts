/** A place to listen: `host:port`, `*:port` (every interface), `[::1]:port` or `:port` (loopback). */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Splits a listen address; `*` means every interface, an empty host loopback (metrics and monitors
 * stay on the machine unless told otherwise). Undefined when it is not one.
 */
export function parseListenAddress(text: string, emptyHost = '127.0.0.1'): ListenAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const host = m[1] ?? m[2];
  return { host: host === '*' ? '0.0.0.0' : host === '' ? emptyHost : host, port };
}
