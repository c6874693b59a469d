// `@mdbench/core/internal`: what the sibling packages (the tools, their workers, the tests) build
// on. Users and plug-in authors have the public entry, `@mdbench/core` (index.ts).
export {
  AddressPlan,
  BUILT_IN_PROTOCOLS,
  ConfigErrors,
  ExitCode,
  FrameType,
  LoopDelay,
  MdbenchError,
  NATIVE_SUBPROTOCOL,
  Opcode,
  SubjectPlan,
  SessionConnection,
  WsClientConnection,
  WsState,
  acceptFor,
  addCounters,
  backoffDelayMs,
  checkShape,
  clientHeaderBytes,
  closePayload,
  compilePattern,
  compilePatternList,
  decodeSubjectList,
  deflateMessage,
  deflateOfferOf,
  encodeClientFrame,
  encodeMessage,
  encodeServerFrame,
  encodeSubjectList,
  encodeTimeRequest,
  epochUs,
  frameType,
  increment,
  loadProtocol,
  messageSubject,
  mulberry32,
  newIntegrity,
  newStamp,
  PayloadPool,
  observeSeq,
  parseUpgradeRequest,
  readCertificates,
  readFrames,
  readKeyPair,
  readServerFrames,
  readStamp,
  sliceSequence,
  stampRoomProblem,
  startStream,
  takeCounters,
  toArray,
  writeClientHeader,
  writeStamp,
  type ClientTls,
  type Clock,
  type Counters,
  type MaskMode,
  type MessageFields,
  type Protocol,
  type ProtocolOptions,
  type RunProtocol,
  type Sequence,
  subjectSetOf,
  safeText,
  type Shape,
  type SourceLocation,
  type Stamp,
  type WsClientContext,
} from './worker.js';
export {
  ClientStats,
  LatencyStats,
  PHASES,
  PhaseStats,
  TIMED,
  Welford,
  decodeHistogram,
  emptyGauges,
  failedCounter,
  loadWasmHistograms,
  newLatencyHistogram,
  recordLatencyUs,
  sumGauges,
  type ClientGauges,
  type ClientStatsWire,
  type LatencyWire,
} from './stats.js';
export { defineOptions, type ConfigOf, type OptionSpec } from './config/option-spec.js';
export { parseConfigText } from './config/config-file.js';
export { parsePortRange } from './config/values.js';
export { envName, originOf, resolveConfig, type ResolvedConfig } from './config/resolve.js';
export { configDigest } from './config/digest.js';
export { Problems } from './config/problems.js';
export type { ServerAddress } from './config/server-address.js';
export { defineCommand, type CliIo, type CommandContext, type CommandDef } from './cli/command.js';
export { formatDefault } from './cli/help.js';
export { main, packageVersion, processIo, runCli } from './cli/run-cli.js';
export { StopController } from './cli/stop.js';
export { startSpinner, type Spinner } from './cli/spinner.js';
export { commonSpecs } from './cli/common-options.js';

export { tlsClientSpecs } from './cli/tls-options.js';
export { compressionClientSpecs } from './cli/compression-options.js';
export { holds, judgeAll, parseThresholds, verdictOutcome, verdictText, type Threshold, type ThresholdMetric, type Verdict } from './thresholds/threshold.js';
export { CLIENT_THRESHOLD_METRICS, clientMetric } from './thresholds/client-metrics.js';

export { thresholdSpecs } from './cli/threshold-options.js';
export { protocolOptionsOf, protocolNameOf } from './cli/protocol-options.js';
export { bearerHeaders } from './config/servers.js';
export { resolveServers } from './config/server-address.js';
export { Gather } from './ipc/gather.js';
export { Liveness, unresponsiveText } from './ipc/liveness.js';
export { processProgress } from './system/process-progress.js';
export { answerHello, awaitExit, forkWorker, workerNodeArgs } from './ipc/children.js';
export { slicePart } from './plan/slice.js';
export { K8S_INDEX_ENV, instanceSlice, resolveInstance, type Instance } from './plan/instance.js';

export { estimateOffset, measureClockOffset, type ClockOffset } from './protocol/native/clock-offset.js';
export { criticalValue, meanConfidence } from './stats/confidence.js';
export { escapeHtml, formatFixed, formatInt, formatMs } from './report/format.js';
export { LogWriter } from './report/log-writer.js';
export { JsonLinesWriter } from './report/json-lines.js';
export { exitWithOutputs } from './report/output-file.js';
export { JSON_LINES_VERSION, type ClientRecord, type MdbenchRecord, type PublisherRecord, type ServerRecord } from './report/records.js';
export { countsText, type ReportLine } from './report/latency-lines.js';
export { HlogWriter } from './report/hlog-writer.js';
export { RateSchedule } from './pacing/schedule.js';
export { Pacer, realTimers, type PacerTimers } from './pacing/pacer.js';
export { examine, sysctlFile } from './host-checks/examine.js';
export { preflight } from './host-checks/preflight.js';
export { tlsFilesOf, type Finding, type HostPlan } from './host-checks/finding.js';
export { BASE_FDS, openFileLimit, openFileHardLimit } from './host-checks/files.js';

export { tlsChecks } from './host-checks/tls.js';
export { BandwidthMeter, bandwidthMeterFor, type BandwidthRates } from './system/bandwidth.js';
export { bandwidthText } from './report/bandwidth-line.js';
export { HttpEndpoint } from './prometheus/endpoint.js';
export { clientBlock, compressionText } from './report/client-block.js';
export { errorCodesMarkdown, exitCodesMarkdown, optionsMarkdown } from './cli/markdown.js';
export { parseListenAddress } from './config/listen-address.js';
export { PROMETHEUS_CONTENT_TYPE, PrometheusText } from './prometheus/exposition.js';

export { checkMetricsListen } from './prometheus/serve-metrics.js';

export { serveDashboard } from './dashboard/dashboard.js';
export { dashboardPoint } from './dashboard/dashboard-point.js';
export { realHost, treeHost, type HostView } from './system/host-view.js';
export { blockedPorts, listeningSockets, type BlockedPort, type Listener } from './system/listeners.js';
export { RunScope, withScope } from './run/run-scope.js';
export { openOutputs, type RunOutputs } from './run/outputs.js';
export { metricsPushUrl, openMonitoring } from './run/monitoring.js';
export { reportEvery } from './run/interval-loop.js';
export { runOutcome, stoppedText } from './run/run-end.js';
export { withProtocolPath } from './protocol/run-protocol.js';
export { loadGeneratorSpecs } from './cli/load-options.js';
export { reachServers } from './run/reach-servers.js';
