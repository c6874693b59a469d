// Certificates made at run time with Debian's openssl (no private key is committed), for the tests
// and the TLS bench.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ssl = (dir, args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

/** A CA, a server certificate (localhost, 127.0.0.1), an expired one, a client certificate and an unrelated CA: paths of the PEM files. */
export function makeCerts() {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-certs-'));
  const key = (name) => ssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', name]);
  const ca = (name, cn) => {
    key(`${name}.key`);
    ssl(dir, ['req', '-x509', '-new', '-key', `${name}.key`, '-sha256', '-days', '30', '-subj', `/CN=${cn}`, '-out', `${name}.pem`]);
  };
  ca('ca', 'mdbench test CA');
  ca('other-ca', 'someone else');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  const signed = (name, cn, ext, days) => {
    key(`${name}.key`);
    ssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
    ssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      days,
      '-sha256',
      '-extfile',
      ext,
      '-out',
      `${name}.pem`,
    ]);
  };
  signed('server', 'localhost', 'server.ext', '30');
  signed('expired', 'localhost', 'server.ext', '0'); // not after: now
  signed('client', 'mdbench client', 'client.ext', '2');
  const p = (n) => join(dir, n);
  return {
    dir,
    ca: p('ca.pem'),
    cert: p('server.pem'),
    key: p('server.key'),
    expired: p('expired.pem'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    otherCa: p('other-ca.pem'),
  };
}
