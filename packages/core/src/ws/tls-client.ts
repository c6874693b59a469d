import { isIP } from 'node:net';
import tls from 'node:tls';
import { ExitCode, MdbenchError, type SourceLocation } from '../errors.js';
import { readCertificates, readKeyPair } from './tls-files.js';

/** The TLS options of a client or publisher (tlsClientSpecs), as resolved. */
export interface ClientTlsOptions {
  tlsCa?: string;
  tlsInsecure: boolean;
  tlsServername?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsMinVersion: string;
  tlsMaxVersion: string;
  tlsCiphers?: string;
  tlsResume: boolean;
}

/** What every wss:// connection of a process shares: one secure context (built once: a per-connection context costs memory), and how to verify. */
export interface ClientTls {
  context: tls.SecureContext;
  /** SNI and the name verified; undefined: the host of each address. */
  servername?: string;
  verify: boolean;
  resume: boolean;
}

/**
 * Builds the TLS settings of wss:// connections from the options, reading and checking every file
 * first: an unreadable or invalid PEM file is one line naming it (exit 2) before any connection.
 */
function clientTls(options: ClientTlsOptions, where: (name: keyof ClientTlsOptions) => SourceLocation): ClientTls {
  const ca = options.tlsCa ? [...tls.rootCertificates, readCertificates(options.tlsCa, 'CA bundle', where('tlsCa')).pem] : undefined;
  const pair = readKeyPair(options.tlsCert, options.tlsKey, 'client certificate', where);
  if (options.tlsMinVersion > options.tlsMaxVersion) {
    throw new MdbenchError('MDB_CONFIG_VALUE', `--tls-min-version ${options.tlsMinVersion} is newer than --tls-max-version ${options.tlsMaxVersion}`, {
      exitCode: ExitCode.CONFIG,
      location: where('tlsMaxVersion'),
    });
  }
  let context: tls.SecureContext;
  try {
    context = tls.createSecureContext({
      ca,
      cert: pair?.pem,
      key: pair?.key,
      minVersion: options.tlsMinVersion as tls.SecureVersion,
      maxVersion: options.tlsMaxVersion as tls.SecureVersion,
      ciphers: options.tlsCiphers,
    });
  } catch (err) {
    throw new MdbenchError('MDB_CONFIG_VALUE', `TLS settings refused by OpenSSL: ${(err as Error).message}`, {
      exitCode: ExitCode.CONFIG,
      location: where(options.tlsCiphers ? 'tlsCiphers' : 'tlsMinVersion'),
    });
  }
  return { context, servername: options.tlsServername, verify: !options.tlsInsecure, resume: options.tlsResume };
}

/** What the client and the publisher say at every start when verification is off. */
export const TLS_INSECURE_WARNING = 'TLS certificates are NOT verified (--tls-insecure): anyone between here and the server can read and change the traffic';

/** The name a TLS connection to `host` sends as SNI: none for an IP address (RFC 6066). */
export function sniFor(tlsOpts: ClientTls, host: string): string | undefined {
  if (tlsOpts.servername) return tlsOpts.servername;
  return isIP(host) ? undefined : host;
}

/** The TLS settings when any of `servers` is wss://, else undefined (nothing read). */
export function clientTlsFor(
  servers: readonly { tls: boolean }[],
  options: ClientTlsOptions,
  where: (name: keyof ClientTlsOptions) => SourceLocation,
): ClientTls | undefined {
  return servers.some((s) => s.tls) ? clientTls(options, where) : undefined;
}
