import type { InstanceRow } from './instance-table.js';
import type { FleetStats, InstanceRun, MergedInterval } from './merge.js';
import type { LogRecord } from './read-logs.js';
import type { ReportLine } from '@mdbench/core';

/** Percentiles of the distribution chart, from the median to the maximum. */
const DISTRIBUTION = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];

export interface HtmlInput {
  title: string;
  block: ReportLine[];
  fleet: FleetStats;
  intervals: MergedInterval[];
  rows: InstanceRow[];
  runs: InstanceRun[];
  records: LogRecord[];
  sources: string[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The data the page draws, embedded as JSON. */
export function chartData(input: HtmlInput) {
  const ms = (us: number) => us / 1000;
  return {
    time: input.intervals.map((i) => i.atS),
    latency: {
      p50: input.intervals.map((i) => ms(i.fleet.stats.latency.percentileUs(50))),
      p90: input.intervals.map((i) => ms(i.fleet.stats.latency.percentileUs(90))),
      p99: input.intervals.map((i) => ms(i.fleet.stats.latency.percentileUs(99))),
      max: input.intervals.map((i) => (i.fleet.stats.latency.welford.count ? ms(i.fleet.stats.latency.welford.max) : 0)),
    },
    rate: input.intervals.map((i) => i.fleet.stats.count('messages') / Math.max(i.seconds, 1e-9)),
    connections: input.intervals.map((i) => i.fleet.gauges.open),
    distribution: DISTRIBUTION.map((p) => ({ p, ms: input.fleet.stats.latency.welford.count ? ms(input.fleet.stats.latency.percentileUs(p)) : 0 })),
  };
}

/**
 * A self-contained page (no network: styles, data and the drawing script are inline). The script
 * draws each chart as SVG when the page loads.
 */
export function renderHtml(input: HtmlInput): string {
  const data = JSON.stringify(chartData(input)).replace(/</g, '\\u003c');
  const block = input.block.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  const rows = input.rows
    .map(
      (r) =>
        `<tr class="${r.flags.length ? 'differs' : ''}"><td>${r.instance}</td><td>${esc(r.host)}</td><td>${r.messages}</td><td>${r.ratePerSec.toFixed(1)}</td>` +
        `<td>${r.meanMs.toFixed(3)}</td><td>${r.p99Ms.toFixed(3)}</td><td>${r.maxMs.toFixed(3)}</td><td>${r.errors}</td>` +
        `<td>${r.clockOffsetMs === null ? 'n/a' : r.clockOffsetMs.toFixed(3)}</td><td>${esc(r.flags.join(', ') || '-')}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th{text-align:left}
tr.differs td{background:#fde8e8}
.chart{width:100%;height:260px;border:1px solid #ccc;margin:6px 0}
.legend span{margin-right:14px}.axis{font-size:11px;fill:#555}
</style></head><body>
<h1>${esc(input.title)}</h1>
<p>Merged exactly from ${input.sources.length} log file(s): ${input.sources.map(esc).join(', ')}</p>
<h2>Whole run</h2><table id="summary">${block}</table>
<h2>Latency percentiles over time (ms)</h2><svg class="chart" id="chart-latency"></svg><div class="legend" id="legend-latency"></div>
<h2>Messages received per second</h2><svg class="chart" id="chart-rate"></svg>
<h2>Open connections</h2><svg class="chart" id="chart-connections"></svg>
<h2>Latency distribution (ms by percentile)</h2><svg class="chart" id="chart-distribution"></svg>
<h2>Instances</h2>
<table id="instances"><tr><th>instance</th><th>host</th><th>messages</th><th>msg/s</th><th>mean ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>clock ms</th><th>differs</th></tr>${rows}</table>
<script id="data" type="application/json">${data}</script>
<script>
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = ['#1f77b4', '#2ca02c', '#ff7f0e', '#d62728', '#9467bd'];
  function el(name, attrs, parent) { var e = document.createElementNS(NS, name); for (var k in attrs) e.setAttribute(k, attrs[k]); parent.appendChild(e); return e; }
  function draw(id, xs, series, xLabels) {
    var svg = document.getElementById(id), W = svg.clientWidth || 900, H = svg.clientHeight || 260, L = 60, R = 10, T = 10, B = 30;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    var ymax = 0; series.forEach(function (s) { s.values.forEach(function (v) { if (v > ymax) ymax = v; }); });
    if (!(ymax > 0)) ymax = 1;
    var n = xs.length, x = function (i) { return L + (n > 1 ? i / (n - 1) : 0.5) * (W - L - R); }, y = function (v) { return H - B - (v / ymax) * (H - T - B); };
    el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#888' }, svg);
    el('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#888' }, svg);
    for (var t = 0; t <= 4; t++) { var v = ymax * t / 4; el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, svg).textContent = v.toPrecision(3); }
    [0, n - 1].forEach(function (i) { if (i >= 0) el('text', { x: x(i), y: H - 10, 'text-anchor': 'middle', class: 'axis' }, svg).textContent = xLabels[i]; });
    series.forEach(function (s, k) {
      var d = s.values.map(function (v, i) { return (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1); }).join(' ');
      el('path', { d: d, fill: 'none', stroke: COLORS[k % COLORS.length], 'stroke-width': 2, class: 'series', 'data-series': s.name }, svg);
      if (n === 1) el('circle', { cx: x(0), cy: y(s.values[0]), r: 3, fill: COLORS[k % COLORS.length] }, svg);
    });
    return series;
  }
  var secs = D.time.map(function (t) { return t.toFixed(0) + ' s'; });
  var lat = draw('chart-latency', D.time, [
    { name: 'p50', values: D.latency.p50 }, { name: 'p90', values: D.latency.p90 }, { name: 'p99', values: D.latency.p99 }, { name: 'max', values: D.latency.max }], secs);
  document.getElementById('legend-latency').innerHTML = lat.map(function (s, k) { return '<span style="color:' + COLORS[k] + '">&#9632; ' + s.name + '</span>'; }).join('');
  draw('chart-rate', D.time, [{ name: 'messages/s', values: D.rate }], secs);
  draw('chart-connections', D.time, [{ name: 'open', values: D.connections }], secs);
  draw('chart-distribution', D.distribution.map(function (d) { return d.p; }), [{ name: 'latency', values: D.distribution.map(function (d) { return d.ms; }) }],
    D.distribution.map(function (d) { return 'p' + d.p; }));
  document.body.setAttribute('data-charts-drawn', String(document.querySelectorAll('path.series').length));
})();
</script>
</body></html>
`;
}
