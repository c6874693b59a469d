import { DRAW_CHARTS, PAGE_CSS } from './html-page.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TIMED, decodeHistogram, escapeHtml, verdictOutcome, type PhaseStats, type ReportLine, type Verdict } from '@mdbench/core/internal';
import type { InstanceRow } from './instance-table.js';
import type { FleetStats, InstanceRun, MergedInterval } from './merge.js';
import { isPublisher, type LogRecord } from './read-logs.js';

const require = createRequire(import.meta.url);
/** uPlot (MIT), inlined into the page so that it opens offline. */
export function uplotAssets(): { js: string; css: string } {
  const dir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  return { js: readFileSync(path.join(dir, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(path.join(dir, 'uPlot.min.css'), 'utf8') };
}

/** Percentiles of the distribution plot, on HdrHistogram's axis: 1 / (1 - p). */
export const DISTRIBUTION = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999];

export interface HtmlInput {
  title: string;
  block: ReportLine[];
  fleet: FleetStats;
  intervals: MergedInterval[];
  rows: InstanceRow[];
  runs: InstanceRun[];
  records: LogRecord[];
  sources: string[];
  /** The --thresholds verdicts, if any were asked for. */
  verdicts?: Verdict[];
}

export const esc = escapeHtml;
const fixed = (n: number, digits: number) => esc(Number(n).toFixed(digits));
const ms = (us: number) => us / 1000;

/** Every series the page draws, embedded as JSON: time in epoch seconds (uPlot's time axis). */
function chartData(input: HtmlInput) {
  const iv = input.intervals;
  const t = iv.map((i) => i.atMs / 1000);
  const lat = (p: number) => iv.map((i) => (i.fleet.stats.latency.welford.count ? ms(i.fleet.stats.latency.percentileUs(p)) : null));
  const total = input.fleet.stats.latency;
  const dist = total.welford.count ? DISTRIBUTION.map((p) => ({ p, x: 1 / (1 - p / 100), ms: ms(total.percentileUs(p)) })) : [];
  if (total.welford.count) dist.push({ p: 100, x: 1e6, ms: ms(total.welford.max) });
  const publishers = input.records.filter(isPublisher).length > 0;
  return {
    time: t,
    latency: {
      p50: lat(50),
      p90: lat(90),
      p99: lat(99),
      p999: lat(99.9),
      max: iv.map((i) => (i.fleet.stats.latency.welford.count ? ms(i.fleet.stats.latency.welford.max) : null)),
    },
    rate: {
      received: iv.map((i) => i.fleet.stats.count('messages') / Math.max(i.seconds, 1e-9)),
      published: publishers ? iv.map((i) => i.publishedPerSec) : null,
      target: publishers ? iv.map((i) => i.targetRatePerSec) : null,
    },
    connections: Object.fromEntries(
      (['open', 'connected', 'subscribed', 'connecting', 'reconnecting', 'failed'] as const).map((k) => [k, iv.map((i) => i.fleet.gauges[k])]),
    ),
    errors: {
      errors: iv.map((i) => i.fleet.stats.errorCount),
      reconnects: iv.map((i) => i.fleet.stats.count('reconnects')),
      gaps: iv.map((i) => i.fleet.stats.count('gaps')),
    },
    bandwidth: iv.some((i) => i.bandwidth)
      ? {
          in: iv.map((i) => (i.bandwidth ? i.bandwidth.inBytesPerSec / 1e6 : null)),
          out: iv.map((i) => (i.bandwidth ? i.bandwidth.outBytesPerSec / 1e6 : null)),
        }
      : null,
    instances: input.runs.map((r) => ({
      name: `instance ${r.instance} (${r.host})`,
      time: r.intervals.map((x) => Date.parse(x.ts) / 1000),
      p99: r.intervals.map((x) => (x.latency.welford.count ? ms(percentile(x.latency.hist, 99)) : null)),
      rate: r.intervals.map((x) => (x.counters.messages ?? 0) / Math.max(x.seconds, 1e-9)),
    })),
    distribution: dist,
    phases: phaseSeries(iv),
  };
}

/** Each connect phase's p99 per interval (ms; null where no attempt ended in it), or null when the logs hold no attempts. */
function phaseSeries(iv: MergedInterval[]): Record<string, (number | null)[]> | null {
  const seen = TIMED.filter((p) => iv.some((i) => i.fleet.stats.phases.byPhase[p].welford.count > 0));
  if (seen.length === 0) return null;
  return Object.fromEntries(
    seen.map((p) => [p, iv.map((i) => (i.fleet.stats.phases.byPhase[p].welford.count ? ms(i.fleet.stats.phases.byPhase[p].percentileUs(99)) : null))]),
  );
}

/** Each threshold's verdict with its measured value (none asked: nothing). */
function verdictsTable(verdicts: Verdict[] | undefined): string {
  if (!verdicts?.length) return '';
  const rows = verdicts.map((v) => `<tr class="${v.passed ? 'passed' : 'differs'}"><th>${esc(v.threshold)}</th><td>${esc(verdictOutcome(v))}</td></tr>`);
  return `<h2>Thresholds</h2><table id="thresholds">${rows.join('')}</table>`;
}

/** The whole run's connect phases: attempts and percentiles of each, in ms. */
function phasesTable(phases: PhaseStats): string {
  const rows = TIMED.filter((p) => phases.byPhase[p].welford.count > 0).map((p) => {
    const l = phases.byPhase[p];
    const at = (q: number) => `<td>${fixed(ms(l.percentileUs(q)), 2)}</td>`;
    return `<tr><th>${p}</th><td>${esc(l.welford.count)}</td>${at(50)}${at(90)}${at(99)}${at(99.9)}<td>${fixed(ms(l.welford.max), 2)}</td></tr>`;
  });
  if (rows.length === 0) return '<p class="note">no connection attempts in these logs</p>';
  return `<table id="phases"><tr><th>phase</th><th>attempts</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr>${rows.join('')}</table>`;
}

/** A percentile of an encoded histogram. */
function percentile(hist: string, p: number): number {
  return decodeHistogram(hist).getValueAtPercentile(p);
}

/**
 * One self-contained page: styles, data, uPlot and the drawing script are inline, nothing is
 * fetched. Every time chart has a wall-clock axis, zooms by dragging (double-click resets) and shows
 * the values under the cursor in its legend.
 */
export function renderHtml(input: HtmlInput): string {
  const data = JSON.stringify(chartData(input)).replace(/</g, '\\u003c');
  const { js, css } = uplotAssets();
  const block = input.block.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  const rows = input.rows
    .map(
      (r) =>
        `<tr class="${r.flags.length ? 'differs' : ''}"><td>${esc(r.instance)}</td><td>${esc(r.host)}</td><td>${esc(r.messages)}</td><td>${fixed(r.ratePerSec, 1)}</td>` +
        `<td>${fixed(r.meanMs, 3)}</td><td>${fixed(r.p99Ms, 3)}</td><td>${fixed(r.maxMs, 3)}</td><td>${esc(r.errors)}</td>` +
        `<td>${r.clockOffsetMs === null ? 'n/a' : fixed(r.clockOffsetMs, 3)}</td><td>${esc(r.flags.join(', ') || '-')}</td></tr>`,
    )
    .join('');
  const chart = (id: string, title: string, note = '') => `<h2>${title}</h2>${note ? `<p class="note">${note}</p>` : ''}<div class="chart" id="${id}"></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>${css}</style>
<style>
${PAGE_CSS}</style></head><body>
<h1>${esc(input.title)}</h1>
<p>Merged exactly (Welford states by Chan's formula, HdrHistograms by addition) from ${esc(input.sources.length)} log file(s): ${input.sources.map(esc).join(', ')}.
Drag across a chart to zoom, double-click to zoom out; the legend shows the values under the cursor.</p>
<h2>Whole run</h2><table id="summary">${block}</table>
${verdictsTable(input.verdicts)}
<h2>Connect phases</h2><p class="note">TCP connect, TLS handshake, WebSocket upgrade (101), protocol session (up to the subscriptions acknowledged), and connect, the whole attempt; each in its own histogram merged across the fleet</p>${phasesTable(input.fleet.stats.phases)}
${chart('chart-latency', 'Latency percentiles over time (ms)', 'each point: the interval of every instance merged; percentiles from the merged histogram')}
${chart('chart-rate', "Messages per second: received, and the publishers' target and achieved rate")}
${chart('chart-connections', 'Connections by state')}
${chart('chart-errors', 'Errors, reconnects and lost messages per interval')}
${chart('chart-bandwidth', "Bandwidth (MB/s, every host's interface once)")}
${chart('chart-instances', 'Latency p99 per instance (ms)')}
${chart('chart-phases', 'Connect phases: p99 per interval (ms)', 'points only in the intervals where attempts ended')}
${chart('chart-distribution', "Latency distribution (ms by percentile, HdrHistogram's plot: log axis in 1/(1-p))")}
<h2>Instances</h2>
<table id="instances"><tr><th>instance</th><th>host</th><th>messages</th><th>msg/s</th><th>mean ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>clock ms</th><th>differs</th></tr>${rows}</table>
<script id="data" type="application/json">${data}</script>
<script>${js}</script>
<script>
${DRAW_CHARTS}</script>
</body></html>
`;
}
