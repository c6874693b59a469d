#!/usr/bin/env node
// Why client workers record latency into WebAssembly histograms: the cost of one recordValue into
// mdbench's latency histogram (HdrHistogram, 3 significant digits, microseconds), JavaScript
// (the baseline) against WebAssembly, in this process. One figure a line.
// Usage: node tools/bench/histogram-record.mjs [--values 20000000]
import { loadWasmHistograms, newLatencyHistogram, recordLatencyUs } from '@mdbench/core/internal';
import { arg, figure } from '../harness/processes.mjs';

const n = Number(arg('values', '20000000'));
// Latencies as a run sees them: mostly around a millisecond, a tail to a second.
const values = Float64Array.from({ length: 4096 }, (_, i) => (i % 64 === 0 ? 1000 + i * 200 : 500 + ((i * 7919) % 2000)));

function nsPerRecord(h) {
  for (let i = 0; i < 1_000_000; i++) recordLatencyUs(h, values[i & 4095]); // warm the JIT
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) recordLatencyUs(h, values[i & 4095]);
  return Number(process.hrtime.bigint() - t) / n;
}

const js = nsPerRecord(newLatencyHistogram(false));
await loadWasmHistograms();
const wasm = nsPerRecord(newLatencyHistogram(true));
figure('js_record_ns', js, 'ns per recordValue (baseline)');
figure('wasm_record_ns', wasm, 'ns per recordValue');
figure('wasm_speedup', js / wasm, 'x baseline');
