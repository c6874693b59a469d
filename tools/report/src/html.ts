import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TIMED, decodeHistogram, escapeHtml, verdictOutcome, type PhaseStats, type ReportLine, type Verdict } from '@mdbench/core';
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
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1180px}
h1{font-size:20px}h2{font-size:16px;margin:28px 0 4px}.note{margin:0 0 6px;color:#666;font-size:12px}
table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th{text-align:left}
tr.differs td{background:#fde8e8}.chart{min-height:300px}
</style></head><body>
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
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var COLORS = ['#1f77b4', '#2ca02c', '#ff7f0e', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var width = Math.min(1140, document.body.clientWidth || 1140);
  var drawn = 0;
  var charts = window.mdbenchCharts = {};
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  /** Wall-clock time of day, as the logs print it. */
  function clock(t) { var d = new Date(t * 1000); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }
  /** A point of HdrHistogram's percentile axis, 1 / (1 - p), as the percentile. */
  function pct(x) { return x >= 1 ? Math.round((100 - 100 / x) * 10000) / 10000 + '%' : ''; }
  function fmt(v, d) { return v == null ? '-' : (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(d == null ? 2 : d)); }
  function series(names) { return names.map(function (n, k) { return { label: n, stroke: COLORS[k % COLORS.length], width: 1.5, spanGaps: true, value: function (u, v) { return fmt(v); } }; }); }
  function timeChart(id, yLabel, names, columns, times) {
    var el = document.getElementById(id);
    if (!times || !times.length || !columns.length) { el.textContent = 'no data in these logs'; return; }
    charts[id] = new uPlot({ width: width, height: 280, cursor: { drag: { x: true, y: false } }, scales: { x: { time: true } },
      series: [{ label: 'time', value: function (u, t) { return t == null ? '-' : clock(t); } }].concat(series(names)),
      axes: [{ space: 90, values: function (u, vals) { return vals.map(clock); } }, { label: yLabel, size: 70, values: function (u, vals) { return vals.map(function (v) { return fmt(v, 1); }); } }] },
      [times].concat(columns), el);
    el.setAttribute('data-points', String(times.length));
    drawn++;
  }
  var L = D.latency;
  timeChart('chart-latency', 'ms', ['p50', 'p90', 'p99', 'p99.9', 'max'], [L.p50, L.p90, L.p99, L.p999, L.max], D.time);
  var R = D.rate, rn = ['received'], rc = [R.received];
  if (R.target) { rn.push('publishers\\' target', 'published'); rc.push(R.target, R.published); }
  timeChart('chart-rate', 'messages/s', rn, rc, D.time);
  var C = D.connections, cn = Object.keys(C);
  timeChart('chart-connections', 'connections', cn, cn.map(function (k) { return C[k]; }), D.time);
  timeChart('chart-errors', 'per interval', ['errors', 'reconnects', 'lost (gaps)'], [D.errors.errors, D.errors.reconnects, D.errors.gaps], D.time);
  if (D.bandwidth) timeChart('chart-bandwidth', 'MB/s', ['in', 'out'], [D.bandwidth.in, D.bandwidth.out], D.time);
  else document.getElementById('chart-bandwidth').textContent = 'no bandwidth in these logs';
  if (D.phases) timeChart('chart-phases', 'ms', Object.keys(D.phases), Object.keys(D.phases).map(function (k) { return D.phases[k]; }), D.time);
  else document.getElementById('chart-phases').textContent = 'no connection attempts in these logs';
  // Instances have their own times: align them on the union of their time stamps.
  var tset = {}; D.instances.forEach(function (s) { s.time.forEach(function (x) { tset[x] = 1; }); });
  var it = Object.keys(tset).map(Number).sort(function (a, b) { return a - b; });
  timeChart('chart-instances', 'ms', D.instances.map(function (s) { return s.name; }), D.instances.map(function (s) {
    var m = {}; s.time.forEach(function (x, i) { m[x] = s.p99[i]; }); return it.map(function (x) { return x in m ? m[x] : null; });
  }), it);
  var dist = D.distribution, del = document.getElementById('chart-distribution');
  if (dist.length) {
    charts['chart-distribution'] = new uPlot({ width: width, height: 300, cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      series: [{ label: 'percentile', value: function (u, x) { return x == null ? '-' : pct(x); } },
        { label: 'latency (ms)', stroke: COLORS[0], width: 2, points: { show: true, size: 5 }, value: function (u, v) { return fmt(v, 3); } }],
      axes: [{ splits: function (u) { return [1, 2, 10, 100, 1e3, 1e4, 1e5, 1e6].filter(function (x) { return x >= u.scales.x.min && x <= u.scales.x.max; }); },
        values: function (u, vals) { return vals.map(pct); } }, { label: 'ms', size: 70 }] },
      [dist.map(function (d) { return d.x; }), dist.map(function (d) { return d.ms; })], del);
    del.setAttribute('data-points', String(dist.length));
    drawn++;
  } else del.textContent = 'no latencies in these logs';
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
</script>
</body></html>
`;
}
