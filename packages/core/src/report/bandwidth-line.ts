import type { BandwidthRates } from '../system/bandwidth.js';
import { formatFixed, formatInt } from './format.js';

/** `lo: in 12.34 MB/s (5,678 packets/s), out ...`: the Bandwidth line of every tool's block. */
export function bandwidthText(b: BandwidthRates): string {
  const rate = (bytes: number, packets: number) => `${formatFixed(bytes / 1e6, 2)} MB/s (${formatInt(packets)} packets/s)`;
  return `${b.interface}: in ${rate(b.inBytesPerSec, b.inPacketsPerSec)}, out ${rate(b.outBytesPerSec, b.outPacketsPerSec)}`;
}
