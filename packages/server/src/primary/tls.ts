import { randomBytes } from 'node:crypto';
import { ExitCode, MdbenchError, originOf, readCertificates, readKeyPair, type ResolvedConfig } from '@mdbench/core';
import type { ServerConfig } from '../options.js';

/** The listener's TLS as the workers get it, every file read and checked first (one line naming a bad one, exit 2); undefined without --tls-cert. */
export function serverTls(cfg: ServerConfig, resolved: Pick<ResolvedConfig, 'origins'>): { cert: string; key: string; ca?: string; ticketKeys: string } | undefined {
  const where = (name: string) => originOf(resolved, name);
  const pair = readKeyPair(cfg.tlsCert, cfg.tlsKey, 'certificate', where);
  if (!pair) {
    if (cfg.tlsCa !== undefined) throw new MdbenchError('MDB_CONFIG_VALUE', '--tls-ca (client certificates) needs --tls-cert and --tls-key', { exitCode: ExitCode.CONFIG, location: where('tlsCa') });
    return undefined;
  }
  const ca = cfg.tlsCa === undefined ? undefined : readCertificates(cfg.tlsCa, 'CA bundle', where('tlsCa')).pem;
  // One set of session-ticket keys for every worker: a client that reconnects to another worker
  // (the kernel deals connections) still resumes its session.
  return { cert: pair.pem, key: pair.key, ca, ticketKeys: randomBytes(48).toString('base64') };
}
