/**
 * The live dashboard's page: one document, its styles and script inline (nothing fetched), that
 * listens to `/events` (server-sent events, one point per interval) and redraws three canvas
 * charts, the latest figures and the thresholds' state. `__TITLE__` is replaced by the run's name.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:20px;color:#222;max-width:1100px}
h1{font-size:19px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 4px}.note{color:#666;font-size:12px}
table{border-collapse:collapse}th,td{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}th{text-align:left}
canvas{width:100%;height:220px;border:1px solid #eee}.legend span{margin-right:14px}.passed{color:#1a7f37}.failed{color:#c62828;font-weight:bold}
</style></head><body>
<h1>__TITLE__</h1>
<p class="note" id="status">waiting for the first interval</p>
<table id="now"></table>
<div id="thresholds"></div>
<h2>Latency per interval (ms)</h2><div class="legend" id="legend-latency"></div><canvas id="chart-latency" data-points="0"></canvas>
<h2>Messages per second</h2><div class="legend" id="legend-rate"></div><canvas id="chart-rate" data-points="0"></canvas>
<h2>Connections</h2><div class="legend" id="legend-connections"></div><canvas id="chart-connections" data-points="0"></canvas>
<script>
(function () {
  var COLORS = ['#1f77b4', '#d62728', '#ff7f0e', '#2ca02c', '#9467bd'];
  var points = [];
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function clock(t) { var d = new Date(t); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }
  function fmt(v) { return v == null ? '-' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2); }
  function draw(id, series) {
    var c = document.getElementById(id), w = c.clientWidth || 800, h = c.clientHeight || 220, dpr = window.devicePixelRatio || 1;
    c.width = w * dpr; c.height = h * dpr;
    var g = c.getContext('2d'); g.scale(dpr, dpr); g.clearRect(0, 0, w, h);
    var left = 60, bottom = 22, top = 8, right = 10, n = points.length, max = 0;
    series.forEach(function (s) { points.forEach(function (p) { var v = s.get(p); if (v != null && v > max) max = v; }); });
    if (max <= 0) max = 1;
    g.strokeStyle = '#ccc'; g.fillStyle = '#555'; g.font = '11px system-ui'; g.lineWidth = 1;
    for (var k = 0; k <= 4; k++) { var y = top + (h - top - bottom) * (1 - k / 4); g.beginPath(); g.moveTo(left, y); g.lineTo(w - right, y); g.stroke(); g.fillText(fmt(max * k / 4), 4, y + 4); }
    if (n > 0) { g.fillText(clock(points[0].t), left, h - 6); g.fillText(clock(points[n - 1].t), w - right - 50, h - 6); }
    series.forEach(function (s, i) {
      g.strokeStyle = COLORS[i % COLORS.length]; g.lineWidth = 2; g.beginPath();
      var started = false;
      points.forEach(function (p, j) {
        var v = s.get(p); if (v == null) return;
        var x = left + (n > 1 ? (w - left - right) * j / (n - 1) : 0), y = top + (h - top - bottom) * (1 - v / max);
        if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
      });
      g.stroke();
    });
    c.setAttribute('data-points', String(n));
    var legend = document.getElementById(id.replace('chart', 'legend')), last = points[n - 1];
    legend.innerHTML = series.map(function (s, i) { return '<span style="color:' + COLORS[i % COLORS.length] + '">' + s.name + ' ' + fmt(last ? s.get(last) : null) + '</span>'; }).join('');
  }
  function text(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
  function render() {
    var p = points[points.length - 1];
    document.getElementById('status').textContent = points.length + ' intervals, the last at ' + clock(p.t);
    document.getElementById('now').innerHTML = '<tr><th>p50</th><td>' + fmt(p.p50) + ' ms</td><th>p99</th><td>' + fmt(p.p99) + ' ms</td><th>max</th><td>' + fmt(p.max) + ' ms</td></tr>' +
      '<tr><th>rate</th><td>' + fmt(p.rate) + ' msg/s</td><th>subscribed</th><td>' + p.subscribed + ' of ' + p.planned + '</td><th>errors / lost</th><td>' + p.errors + ' / ' + p.gaps + '</td></tr>';
    document.getElementById('thresholds').innerHTML = p.thresholds.length ? '<h2>Thresholds (the run so far)</h2>' + p.thresholds.map(function (v) { return '<div class="' + (v.passed ? 'passed' : 'failed') + '">' + text(v.text) + '</div>'; }).join('') : '';
    draw('chart-latency', [{ name: 'p50', get: function (q) { return q.p50; } }, { name: 'p99', get: function (q) { return q.p99; } }, { name: 'max', get: function (q) { return q.max; } }]);
    draw('chart-rate', [{ name: 'received', get: function (q) { return q.rate; } }]);
    draw('chart-connections', [{ name: 'open', get: function (q) { return q.open; } }, { name: 'subscribed', get: function (q) { return q.subscribed; } }]);
  }
  var es = new EventSource('events' + location.search);
  // A point for an interval already drawn (a corrected merge, or the history again after a reconnect) replaces it.
  es.onmessage = function (e) {
    var q = JSON.parse(e.data), i = points.length - 1;
    while (i >= 0 && points[i].t > q.t) i--;
    if (i >= 0 && points[i].t === q.t) points[i] = q; else points.splice(i + 1, 0, q);
    if (points.length > 3600) points.shift();
    render();
  };
  es.onerror = function () { document.getElementById('status').textContent = 'the run has ended or cannot be reached (' + points.length + ' intervals shown)'; };
})();
</script>
</body></html>
`;
