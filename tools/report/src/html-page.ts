// The report page's own style and drawing script (uPlot draws; this lays out the charts from the
// page's inline JSON data). Kept as text: the page is one self-contained file.

/** The page's style. */
export const PAGE_CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1180px}
h1{font-size:20px}h2{font-size:16px;margin:28px 0 4px}.note{margin:0 0 6px;color:#666;font-size:12px}
table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th{text-align:left}
tr.differs td{background:#fde8e8}.chart{min-height:300px}
`;

/** Draws every chart of the page from its `#data` JSON; sets data-charts-drawn on the body when done. */
export const DRAW_CHARTS = `(function () {
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
`;
