import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ExitCode, MdbenchError, type SourceLocation } from '../errors.js';

/** The PEM blocks of `kind` in a file, each as text. */
function blocks(text: string, kind: RegExp): string[] {
  return [...text.matchAll(new RegExp(`-----BEGIN (${kind.source})-----[\\s\\S]+?-----END \\1-----`, 'g'))].map((m) => m[0]);
}

function read(path: string, what: string, where: SourceLocation): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new MdbenchError('MDB_TLS_FILE', `cannot read the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      exitCode: ExitCode.CONFIG,
      location: where,
    });
  }
}

function invalid(path: string, what: string, why: string, where: SourceLocation): MdbenchError {
  return new MdbenchError('MDB_TLS_FILE', `${path} is not a valid ${what}: ${why}`, { exitCode: ExitCode.CONFIG, location: where });
}

/** Certificates of a PEM file (a chain or a bundle), each parsed; one line naming the file otherwise. */
export function readCertificates(path: string, what: string, where: SourceLocation): { pem: string; certs: X509Certificate[] } {
  const text = read(path, what, where);
  const pems = blocks(text, /CERTIFICATE/);
  if (pems.length === 0) throw invalid(path, what, 'no PEM "CERTIFICATE" block in it', where);
  const certs = pems.map((p, i) => {
    try {
      return new X509Certificate(p);
    } catch (err) {
      throw invalid(path, what, `certificate ${i + 1}: ${(err as Error).message}`, where);
    }
  });
  return { pem: pems.join('\n'), certs };
}

/** A private key of a PEM file, checked to parse (and to match `cert` when given). */
function readPrivateKey(path: string, where: SourceLocation, cert?: X509Certificate): string {
  const text = read(path, 'private key', where);
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch (err) {
    throw invalid(path, 'private key', (err as Error).message, where);
  }
  if (cert && !cert.checkPrivateKey(key)) throw invalid(path, 'private key', 'it does not belong to the certificate', where);
  return text;
}

/**
 * A certificate chain and its private key, given together or not at all: undefined when neither
 * is set; otherwise both read, parsed and checked to belong together (one line naming the file or
 * the missing half, exit 2). The one rule for the client's, the server's and the doctor's pairs.
 */
export function readKeyPair(
  certPath: string | undefined,
  keyPath: string | undefined,
  what: string,
  where: (half: 'tlsCert' | 'tlsKey') => SourceLocation,
): { pem: string; key: string; certs: X509Certificate[] } | undefined {
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    const missing = certPath === undefined ? '--tls-cert' : '--tls-key';
    throw new MdbenchError('MDB_CONFIG_VALUE', `--tls-cert and --tls-key go together (${missing} is missing)`, {
      exitCode: ExitCode.CONFIG,
      location: where(certPath === undefined ? 'tlsKey' : 'tlsCert'),
    });
  }
  const chain = readCertificates(certPath, what, where('tlsCert'));
  return { ...chain, key: readPrivateKey(keyPath, where('tlsKey'), chain.certs[0]) };
}
