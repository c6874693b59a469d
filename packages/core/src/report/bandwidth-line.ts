import type { BandwidthRates } from '../system/bandwidth.js';
import { formatFixed, formatInt } from './format.js';

/** `lo: in 12.34 MB/s (5,678 packets/s), out ...`: the Bandwidth line of every tool's block. */
export function bandwidthText(rates: BandwidthRates): string {
  const rate = (bytes: number, packets: number) => `${formatFixed(bytes / 1e6, 2)} MB/s (${formatInt(packets)} packets/s)`;
  return `${rates.interface}: in ${rate(rates.inBytesPerSec, rates.inPacketsPerSec)}, out ${rate(rates.outBytesPerSec, rates.outPacketsPerSec)}`;
}
