import { compilePatternList, toArray } from '../config/ranges.js';
import { parseServerAddress, type ServerAddress } from '../config/server-address.js';
import { ExitCode, MdbenchError } from '../errors.js';
import { probeServer } from '../ws/probe.js';

/** The most servers a list may name. */
export const MAX_SERVERS = 10_000;
/** How many servers of a list are probed before a run. */
export const PROBED_SERVERS = 16;

/** Expands `ServerAddresses` (comma-separated, brace-expanded) into addresses; throws one line naming the bad one. */
export function resolveServers(text: string): ServerAddress[] {
  return toArray(compilePatternList(text), MAX_SERVERS).map(parseServerAddress);
}

/** `Authorization: Bearer TOKEN`, or none without a token. */
export function bearerHeaders(token: string | undefined): Record<string, string> | undefined {
  return token ? { Authorization: `Bearer ${token}` } : undefined;
}

export interface ProbeOptions {
  subprotocol?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** What starts the server, for the hint. */
  hint: string;
}

/**
 * One WebSocket connection to each of the first servers before a run: is it there, does it take
 * the upgrade (subprotocol, token). Throws exit 4 with the address, the cause and a hint.
 */
export async function probeServers(servers: readonly ServerAddress[], opts: ProbeOptions): Promise<void> {
  for (const s of servers.slice(0, PROBED_SERVERS)) {
    const r = await probeServer(s, { path: s.path, subprotocol: opts.subprotocol, headers: opts.headers, timeoutMs: opts.timeoutMs });
    if (!r.ok) {
      throw new MdbenchError('MDB_UNREACHABLE', `cannot reach server ${s.text}: ${r.cause}${r.detail && r.detail !== r.cause ? ` (${r.detail})` : ''}`, {
        exitCode: ExitCode.UNREACHABLE,
        hint: opts.hint,
      });
    }
  }
}
