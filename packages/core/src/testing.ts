// `@mdbench/core/testing`: helpers for tests, not part of the library a tool runs on.
export { ManualClock } from './testing/manual-clock.js';
export { FakeSession, splitAt } from './testing/fake-session.js';
export { limitsText, mapHost } from './testing/map-host.js';
export { badHost, hostTree } from './testing/host-tree.js';
export { decodeMessage } from './protocol/native/codec.js';
export { duplexPair, type PairEnd } from './testing/duplex-pair.js';
export { runProtocol } from './protocol/run-protocol.js';
