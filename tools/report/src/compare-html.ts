import type { LatencyStats } from '@mdbench/core/internal';
import { comparisonText, type Comparison } from './compare.js';
import { DISTRIBUTION, esc, uplotAssets } from './html.js';
import type { FleetStats } from './merge.js';

/** The latency distribution as HdrHistogram plots it: (1 / (1 - p), ms) points, the maximum last. */
function distribution(latency: LatencyStats): { x: number; ms: number }[] {
  if (latency.welford.count === 0) return [];
  return [...DISTRIBUTION.map((p) => ({ x: 1 / (1 - p / 100), ms: latency.percentileUs(p) / 1000 })), { x: 1e6, ms: latency.welford.max / 1000 }];
}

/**
 * The comparison as one offline page: the table of metrics with their differences, intervals and
 * verdicts, and the two latency distributions overlaid on HdrHistogram's percentile axis.
 */
export function renderCompareHtml(base: FleetStats, cand: FleetStats, rows: Comparison[], baseFiles: string[], candFiles: string[]): string {
  const { js, css } = uplotAssets();
  const b = distribution(base.stats.latency);
  const c = distribution(cand.stats.latency);
  const data = JSON.stringify({ x: b.map((d) => d.x), baseline: b.map((d) => d.ms), candidate: c.map((d) => d.ms) }).replace(/</g, '\\u003c');
  const table = rows
    .map(
      (r) => `<tr class="${r.regression ? 'worse' : r.verdict === 'better' ? 'better' : ''}"><th>${esc(r.metric)}</th><td>${esc(comparisonText(r))}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mdbench compare</title>
<style>${css}</style>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1180px}h1{font-size:20px}h2{font-size:16px;margin:28px 0 4px}
table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}tr.worse td{background:#fde8e8}tr.better td{background:#e8f6e8}.chart{min-height:300px}</style></head><body>
<h1>mdbench compare</h1>
<p>Baseline: ${baseFiles.map(esc).join(', ')}<br>Candidate: ${candFiles.map(esc).join(', ')}<br>Each difference with its 95% confidence interval (the mean by Welch's t, percentiles by binomial order statistics on the merged HdrHistograms).</p>
<table id="comparison">${table}</table>
<h2>Latency distribution (ms by percentile), both runs</h2><div class="chart" id="chart-compare"></div>
<script id="data" type="application/json">${data}</script>
<script>${js}</script>
<script>
(function () {
  var D = JSON.parse(document.getElementById('data').textContent), el = document.getElementById('chart-compare');
  function pct(x) { return x >= 1 ? Math.round((100 - 100 / x) * 10000) / 10000 + '%' : ''; }
  if (!D.x.length) { el.textContent = 'no latencies in these logs'; document.body.setAttribute('data-charts-drawn', '0'); return; }
  window.mdbenchCharts = { 'chart-compare': new uPlot({ width: Math.min(1140, document.body.clientWidth || 1140), height: 300, scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    series: [{ label: 'percentile', value: function (u, x) { return x == null ? '-' : pct(x); } },
      { label: 'baseline (ms)', stroke: '#1f77b4', width: 2, points: { show: true } }, { label: 'candidate (ms)', stroke: '#d62728', width: 2, points: { show: true } }],
    axes: [{ splits: function (u) { return [1, 2, 10, 100, 1e3, 1e4, 1e5, 1e6].filter(function (x) { return x >= u.scales.x.min && x <= u.scales.x.max; }); }, values: function (u, v) { return v.map(pct); } }, { label: 'ms', size: 70 }] },
    [D.x, D.baseline, D.candidate], el) };
  el.setAttribute('data-points', String(D.x.length));
  document.body.setAttribute('data-charts-drawn', '1');
})();
</script>
</body></html>
`;
}
