// `@mdbench/core`: the public API, for users and plug-in authors. A protocol plug-in implements
// `Protocol` (docs/protocols.md), reads and writes mdbench's stamp with the stamp functions and
// keeps an unfinished unit across reads with `withCarry`/`keepCarry`; a program reading mdbench's
// JSON lines has their record types and merges their statistics exactly with `ClientStats`.
// The sibling packages build on `@mdbench/core/internal`, which may change with any release.

/** @public */
export { ProtocolOptionError, type Protocol, type ProtocolModule, type ProtocolOptions, type Role, type Session } from './protocol/protocol.js';
/** @public */
export { Carry, MAX_UNIT_BYTES, keepCarry, withCarry, type CarryHolder, type Unfinished } from './protocol/carry.js';
/** @public */
export { BINARY_STAMP_BYTES, TEXT_STAMP_BYTES, newStamp, readStamp, stampBytes, writeStamp, type Stamp, type StampFormat } from './protocol/stamp.js';
/** @public */
export { ClientStats, LatencyStats, Welford, type ClientStatsWire, type LatencyWire } from './stats.js';
/** @public */
export { JSON_LINES_VERSION, type ClientRecord, type MdbenchRecord, type PublisherRecord, type ServerRecord } from './report/records.js';
/** @public */
export { ExitCode, MdbenchError } from './errors.js';
