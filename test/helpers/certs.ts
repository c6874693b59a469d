import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Certificates made at test time with Debian's openssl (no private key is committed): paths of each PEM file. */
export interface TestCerts {
  dir: string;
  ca: string;
  /** Server certificate for localhost and 127.0.0.1, and its key. */
  cert: string;
  key: string;
  /** The same names, already expired. */
  expired: string;
  /** A client certificate signed by the CA (mutual TLS), and its key. */
  clientCert: string;
  clientKey: string;
  /** A CA of nobody's. */
  otherCa: string;
}

const ssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-certs-'));
  const key = (name: string) => ssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', name]);
  const ca = (name: string, cn: string) => {
    key(`${name}.key`);
    ssl(dir, ['req', '-x509', '-new', '-key', `${name}.key`, '-sha256', '-days', '2', '-subj', `/CN=${cn}`, '-out', `${name}.pem`]);
  };
  ca('ca', 'mdbench test CA');
  ca('other-ca', 'someone else');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  const signed = (name: string, cn: string, ext: string, days: string) => {
    key(`${name}.key`);
    ssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
    ssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', days, '-sha256', '-extfile', ext, '-out', `${name}.pem`]);
  };
  signed('server', 'localhost', 'server.ext', '30');
  signed('expired', 'localhost', 'server.ext', '0'); // not after: now
  signed('client', 'mdbench client', 'client.ext', '2');
  const p = (n: string) => join(dir, n);
  return { dir, ca: p('ca.pem'), cert: p('server.pem'), key: p('server.key'), expired: p('expired.pem'), clientCert: p('client.pem'), clientKey: p('client.key'), otherCa: p('other-ca.pem') };
}
