import { compressionClientSpecs } from './compression-options.js';
import { commonSpecs } from './common-options.js';
import { instanceSpecs } from './instance-options.js';
import { protocolSpecs } from './protocol-options.js';
import { reconnectSpecs } from './reconnect-options.js';
import { runThresholdSpecs } from './threshold-options.js';
import { tlsClientSpecs } from './tls-options.js';
import { metricsSpecs } from '../prometheus/metrics-options.js';

/**
 * The options both load generators (mdbench-client and mdbench-publisher) take after their own,
 * in the order their help lists them: how they speak to the server, export metrics, split a fleet,
 * reconnect, use TLS and compression, judge thresholds, and the common ones.
 */
export const loadGeneratorSpecs = [
  ...protocolSpecs,
  ...metricsSpecs,
  ...instanceSpecs,
  ...reconnectSpecs,
  ...tlsClientSpecs,
  ...compressionClientSpecs,
  ...runThresholdSpecs,
  ...commonSpecs,
] as const;

export { messageSizeSpecs } from './message-options.js';
