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
export function makeCerts(): TestCerts;
