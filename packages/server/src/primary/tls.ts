import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ExitCode, MdbenchError, originOf, readCertificates, readKeyPair, type ResolvedConfig, type SourceLocation } from '@mdbench/core/internal';
import type { ServerConfig } from '../options.js';

/** The listener's TLS as the workers get it, every file read and checked first (one line naming a bad one, exit 2); undefined without --tls-cert. */
export function serverTls(
  cfg: ServerConfig,
  resolved: Pick<ResolvedConfig, 'origins'>,
): { cert: string; key: string; ca?: string; ticketKeys: string } | undefined {
  const where = (name: string) => originOf(resolved, name);
  const pair = readKeyPair(cfg.tlsCert, cfg.tlsKey, 'certificate', where);
  if (!pair) {
    if (cfg.tlsCa !== undefined)
      throw new MdbenchError('MDB_CONFIG_VALUE', '--tls-ca (client certificates) needs --tls-cert and --tls-key', {
        exitCode: ExitCode.CONFIG,
        location: where('tlsCa'),
      });
    return undefined;
  }
  const ca = cfg.tlsCa === undefined ? undefined : readCertificates(cfg.tlsCa, 'CA bundle', where('tlsCa')).pem;
  // One set of session-ticket keys for every worker: a client that reconnects to another worker
  // (the kernel deals connections) still resumes its session.
  return { cert: pair.pem, key: pair.key, ca, ticketKeys: ticketKeys(cfg.tlsTicketKeys, where('tlsTicketKeys')).toString('base64') };
}

/** The ticket keys of --tls-ticket-keys (exactly 48 bytes: name, HMAC and AES keys), or new random ones. */
function ticketKeys(file: string | undefined, location: SourceLocation | undefined): Buffer {
  if (file === undefined) return randomBytes(TICKET_KEY_BYTES);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new MdbenchError(
      'MDB_CONFIG_VALUE',
      `cannot read the session-ticket keys ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { exitCode: ExitCode.CONFIG, location },
    );
  }
  if (bytes.length !== TICKET_KEY_BYTES) {
    throw new MdbenchError(
      'MDB_CONFIG_VALUE',
      `${file} holds ${bytes.length} bytes; session-ticket keys are exactly ${TICKET_KEY_BYTES} (make them with: head -c 48 /dev/urandom > ${file})`,
      { exitCode: ExitCode.CONFIG, location },
    );
  }
  return bytes;
}

const TICKET_KEY_BYTES = 48;
