export { makeCerts } from '../../tools/harness/certs.mjs';
