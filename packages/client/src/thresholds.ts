import { CLIENT_THRESHOLD_METRICS, type ThresholdMetric } from '@mdbench/core/internal';
import { RECOVERY_THRESHOLD_METRICS } from './recovery.js';

/**
 * What mdbench-client's own thresholds can judge: a fleet's metrics (those mdbench-report judges on
 * merged logs too) and the recoveries from reconnect storms this instance saw (`recovery.p99<30s`).
 */
export const CLIENT_RUN_THRESHOLD_METRICS: Record<string, ThresholdMetric> = { ...CLIENT_THRESHOLD_METRICS, ...RECOVERY_THRESHOLD_METRICS };
