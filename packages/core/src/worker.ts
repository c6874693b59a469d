// `@mdbench/core/worker`: the part of core a worker process loads. A fleet runs dozens of worker
// processes (one per 19,000 sockets here), and each module a worker loads costs every one of them
// RSS: this entry leaves out the command line, the terminal and the report writers (commander, ora,
// chalk) and third-party codecs (HdrHistogram is in `@mdbench/core/stats`; mqtt-packet loads only
// with `--protocol mqtt`). `@mdbench/core` re-exports all of it.
export * from './errors.js';
export * from './clock.js';
export * from './config/shape.js';
export * from './config/ranges.js';
export * from './plan/address-plan.js';
export * from './plan/subject-plan.js';
export * from './protocol/protocol.js';
export * from './protocol/carry.js';
export * from './protocol/stamp.js';
export * from './protocol/load.js';
export * from './protocol/native/codec.js';
export * from './ws/frames.js';
export * from './ws/handshake.js';
export * from './ws/deflate.js';
export * from './ws/client-connection.js';
export * from './ws/upgrade.js';
export * from './ws/partial-frame.js';
export * from './ws/tls-client.js';
export * from './ws/tls-files.js';
export * from './stats/counters.js';
export * from './stats/sequence-tracker.js';
export * from './pacing/backoff.js';
export * from './pacing/token-bucket.js';
export * from './pacing/delay-queue.js';
export * from './system/rss.js';
export * from './system/loop-delay.js';
export * from './ipc/worker-side.js';
