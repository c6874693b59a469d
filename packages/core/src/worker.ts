export { ConfigErrors, ExitCode, MdbenchError, ProtocolError, type SourceLocation } from './errors.js';
export { epochUs, systemClock, type Clock } from './clock.js';
export { checkShape, type Shape } from './config/shape.js';
export { compilePattern, compilePatternList, sliceSequence, toArray, type Sequence } from './config/ranges.js';
export { AddressPlan } from './plan/address-plan.js';
export { slicePart } from './plan/slice.js';
export { resolveServers, type ServerAddress } from './config/server-address.js';
export { SubjectPlan, mulberry32 } from './plan/subject-plan.js';
export { subjectSetOf } from './plan/subject-set.js';
export type { Protocol, ProtocolOptions } from './protocol/protocol.js';

export { TEXT_STAMP_BYTES, newStamp, readStamp, writeStamp, type Stamp } from './protocol/stamp.js';
export { PayloadPool } from './protocol/payload-pool.js';
export { BUILT_IN_PROTOCOLS, loadProtocol } from './protocol/load.js';
export { stampRoomProblem, withProtocolPath, type RunProtocol } from './protocol/run-protocol.js';
export {
  FrameType,
  Msg,
  NATIVE_SUBPROTOCOL,
  decodeSubjectList,
  encodeMessage,
  encodeSubjectList,
  encodeTimeRequest,
  encodeTimeResponse,
  frameType,
  messageSubject,
  readU64,
  replyTo,
  type MessageFields,
} from './protocol/native/codec.js';
export {
  CloseCode,
  Opcode,
  WsProtocolError,
  clientHeaderBytes,
  closePayload,
  encodeClientFrame,
  encodeServerFrame,
  readFrames,
  readServerFrames,
  serverHeaderBytes,
  writeClientHeader,
  type FrameSink,
  type MaskMode,
} from './ws/frames.js';
export { acceptFor, buildUpgradeRequest, newKey } from './ws/handshake.js';
export { deflateMessage, deflateOfferOf, inflateMessage, nextHistory, type DeflateParams } from './ws/deflate.js';
export { WsClientConnection } from './ws/client-connection.js';
export { WsState, type ConnectPhase, type WsClientContext, type WsClientEvents } from './ws/client-context.js';
export { SessionConnection } from './protocol/session-connection.js';
export { parseUpgradeRequest, type UpgradePolicy } from './ws/upgrade.js';
export { bearerMatches } from './ws/bearer.js';
export { PartialFrame } from './ws/partial-frame.js';
export { FragmentJoin } from './ws/fragment-join.js';
export { clientTlsFor, type ClientTls } from './ws/tls-client.js';
export { readCertificates, readKeyPair } from './ws/tls-files.js';
export { addCounters, increment, takeCounters, type Counters } from './stats/counters.js';
export { newIntegrity, observeSeq, startStream, type IntegrityCounts, type SeqStream } from './stats/sequence-tracker.js';
export { backoffDelayMs, type BackoffOptions } from './pacing/backoff.js';
export { TokenBucket } from './pacing/token-bucket.js';
export { DelayQueue } from './pacing/delay-queue.js';
export { rssBytes } from './system/rss.js';
export { LoopDelay, SATURATION_P99_MS } from './system/loop-delay.js';
export { runWorker, type ParentLink } from './ipc/worker-side.js';
export { safeText } from './report/safe-text.js';
export { startBeating } from './ipc/liveness.js';
export { warmEventStream } from './sse/event-stream.js';
