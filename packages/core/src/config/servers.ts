import type { ServerAddress } from './server-address.js';
import type { ClientTls } from '../ws/tls-client.js';
import type { Transport } from '../ws/client-context.js';
import { ExitCode, MdbenchError } from '../errors.js';
import { probeServer } from '../ws/probe.js';

/** How many servers of a list are probed before a run. */
const PROBED_SERVERS = 16;

/** `Authorization: Bearer TOKEN`, or none without a token. */
export function bearerHeaders(token: string | undefined): Record<string, string> | undefined {
  return token ? { Authorization: `Bearer ${token}` } : undefined;
}

export interface ProbeOptions {
  subprotocol?: string;
  /** TLS of wss:// servers. */
  tls?: ClientTls;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** What starts the server, for the hint. */
  hint: string;
  /** What the connections speak (an event stream is probed with a GET of `path`). */
  transport?: Transport;
  /** The path probed instead of the server address's (an event stream's URL). */
  path?: string;
}

/** OpenSSL's codes for a certificate it does not accept (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, DEPTH_ZERO_SELF_SIGNED_CERT...). */
const UNTRUSTED_CERT = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|DEPTH_ZERO/;

/** A failure of the TLS handshake itself (certificate, name, alert), as opposed to no server or the wrong scheme. */
function isTlsVerification(cause: string | undefined): boolean {
  return !!cause && (cause === 'tls-alert' || UNTRUSTED_CERT.test(cause));
}

/** What to do about a TLS failure, by its cause; undefined for any other cause. */
function tlsHint(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  if (cause === 'wss-to-plaintext-port') return 'the server does not speak TLS on that port: use ws:// (or its TLS port)';
  if (cause === 'ws-to-tls-port') return 'the server speaks TLS on that port: use wss://';
  if (cause === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return 'the certificate does not name that host: connect by a name it has, or give that name with --tls-servername';
  if (UNTRUSTED_CERT.test(cause)) return "the server's certificate is not trusted here: give its CA with --tls-ca FILE (or, for a test only, --tls-insecure)";
  if (cause === 'tls-alert')
    return 'the server refused the TLS handshake: a client certificate (--tls-cert, --tls-key) or another TLS version (--tls-min-version) may be needed';
  return undefined;
}

/**
 * One WebSocket connection to each of the first servers before a run: is it there, does it take
 * the upgrade (subprotocol, token). Throws exit 4 with the address, the cause and a hint.
 */
export async function probeServers(servers: readonly ServerAddress[], opts: ProbeOptions): Promise<void> {
  for (const s of servers.slice(0, PROBED_SERVERS)) {
    const r = await probeServer(s, {
      path: opts.path ?? s.path,
      subprotocol: opts.subprotocol,
      headers: opts.headers,
      timeoutMs: opts.timeoutMs,
      tls: opts.tls,
      transport: opts.transport,
    });
    if (!r.ok && isTlsVerification(r.cause)) {
      // The server is there; its certificate is not accepted: a run error by cause, not "unreachable".
      throw new MdbenchError('MDB_TLS_VERIFY', `TLS with ${s.text} failed: ${r.cause}${r.detail && r.detail !== r.cause ? ` (${r.detail})` : ''}`, {
        hint: tlsHint(r.cause),
      });
    }
    if (!r.ok && opts.transport === 'sse' && r.cause === 'handshake') {
      // The server is there and answered, but not with an event stream: a refusal, not an unreachable server.
      throw new MdbenchError('MDB_REFUSED', `server ${s.text} refused the event stream: ${r.detail}`, {
        exitCode: ExitCode.RUN_ERRORS,
        hint: "check --sse-path (the URL of a subject's stream) and that the server serves text/event-stream there",
      });
    }
    if (!r.ok) {
      throw new MdbenchError('MDB_UNREACHABLE', `cannot reach server ${s.text}: ${r.cause}${r.detail && r.detail !== r.cause ? ` (${r.detail})` : ''}`, {
        exitCode: ExitCode.UNREACHABLE,
        hint: tlsHint(r.cause) ?? opts.hint,
      });
    }
  }
}
