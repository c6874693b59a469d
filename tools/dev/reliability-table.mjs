#!/usr/bin/env node
// Renders the rows the fault-injection suite records (RELIABILITY_OUT=file) as the Markdown table of
// docs/reliability.md:  RELIABILITY_OUT=/tmp/r.jsonl node tools/dev/run-tests.mjs test/faults && node tools/dev/reliability-table.mjs /tmp/r.jsonl
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
console.log('| fault | expected behaviour | observed counts | lost without being counted |');
console.log('|---|---|---|---|');
for (const r of rows) {
  const observed = Object.entries(r.observed)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
    .join(', ');
  console.log(`| ${r.fault} | ${r.expected} | ${observed} | ${r.unaccounted === 0 ? 'nothing (0)' : r.unaccounted} |`);
}
