export { makeCerts, type TestCerts } from '../../tools/harness/certs.mjs';
