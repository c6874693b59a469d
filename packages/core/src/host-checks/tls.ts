import { MdbenchError } from '../errors.js';
import { readCertificates, readKeyPair } from '../ws/tls-files.js';
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { Finding, HostPlan } from './finding.js';

/** A certificate that expires within this many days is a warning. */
const EXPIRY_WARN_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * The TLS files of the plan, each checked as the run would use it: readable PEM, the key belongs
 * to its certificate, the certificate valid now and for a while, and (the server's) naming the
 * address it listens on.
 */
export function tlsChecks(plan: HostPlan, nowMs: number): Finding[] {
  const t = plan.tls;
  if (!t) return [];
  const out: Finding[] = [];
  const where = { file: 'command line' };
  const attempt = (item: string, f: () => Finding | Finding[]): void => {
    try {
      const r = f();
      out.push(...(Array.isArray(r) ? r : [r]));
    } catch (err) {
      out.push({
        item,
        level: 'fail',
        detail: err instanceof MdbenchError ? err.message : (err as Error).message,
        fix: 'give a readable PEM file (openssl x509 -in FILE -noout -text shows what it holds)',
      });
    }
  };
  if (t.caFile)
    attempt('TLS CA bundle', () => ({
      item: 'TLS CA bundle',
      level: 'ok',
      detail: `${t.caFile}: ${readCertificates(t.caFile as string, 'CA bundle', where).certs.length} certificate(s)`,
    }));
  if (t.certFile || t.keyFile) {
    attempt('TLS certificate', () => {
      const chain = readKeyPair(t.certFile, t.keyFile, 'certificate', () => where);
      const certFile = t.certFile as string;
      if (!chain) return [];
      return [
        { item: 'TLS key', level: 'ok', detail: `${t.keyFile} belongs to ${certFile}` },
        validity(chain.certs[0], certFile, nowMs),
        ...names(chain.certs[0], certFile, t.names),
      ];
    });
  }
  return out;
}

function validity(c: X509Certificate, file: string, nowMs: number): Finding {
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  const renew = `renew ${file} (openssl x509 -in ${file} -noout -dates shows its dates)`;
  if (nowMs < from) return { item: 'TLS certificate dates', level: 'fail', detail: `${file} is not valid before ${c.validFrom}`, fix: renew };
  if (nowMs > to) return { item: 'TLS certificate dates', level: 'fail', detail: `${file} expired ${c.validTo}`, fix: renew };
  const days = (to - nowMs) / DAY_MS;
  if (days < EXPIRY_WARN_DAYS)
    return { item: 'TLS certificate dates', level: 'warn', detail: `${file} expires in ${days.toFixed(1)} days (${c.validTo})`, fix: renew };
  return { item: 'TLS certificate dates', level: 'ok', detail: `${file} valid until ${c.validTo}` };
}

function names(c: X509Certificate, file: string, hosts: string[]): Finding[] {
  return hosts.map((h) => {
    const ip = isIP(h) !== 0;
    const covered = ip ? c.checkIP(h) !== undefined : c.checkHost(h) !== undefined;
    return covered
      ? { item: 'TLS certificate names', level: 'ok', detail: `${file} names ${h}` }
      : {
          item: 'TLS certificate names',
          level: 'fail',
          detail: `${file} does not name ${h} (${c.subjectAltName ?? c.subject.replace(/\n/g, ', ')})`,
          fix: `a certificate whose subjectAltName holds ${ip ? `IP:${h}` : `DNS:${h}`}`,
        };
  });
}
