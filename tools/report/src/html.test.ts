import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { LatencyStats } from '@mdbench/core/internal';
import { Proc, run, startServer } from '../../harness/processes.mjs';

// The HTML report of a real run (a server, two client instances, a publisher) opened in Debian's
// Chromium by playwright-core, offline: every chart drawn with data, values shown under the cursor.

const CHROMIUM = '/usr/bin/chromium';
const bin = new URL('../bin/mdbench-report.js', import.meta.url).pathname;

test('the HTML report: one offline file, every chart with data, zoom and values on hover', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-html-'));
  const server = await startServer(['--workers', '2', '--json', join(dir, 'server.jsonl'), '--interval', '1']);
  const clients = [1, 2].map(
    (k) =>
      new Proc('client', [
        '-s',
        `127.0.0.1:${server.port}`,
        '--instance',
        String(k),
        '--instances',
        '2',
        '--clients',
        '100',
        '--subjects',
        '/p/s{1..200}/-',
        '--one-to-one',
        '--local-addresses',
        '127.0.0.{2..3}',
        '--local-ports',
        `${30000 + k * 1000}-${30999 + k * 1000}`,
        '--interval',
        '1',
        '--duration',
        '9',
        '--json',
        join(dir, `client-${k}.jsonl`),
      ]),
  );
  for (const c of clients) await c.waitFor(/Connected: 100 open, 100 subscribed/);
  const pub = await run('publisher', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--subjects',
    '/p/s{1..200}/-',
    '--frequency',
    '400',
    '--duration',
    '5',
    '--interval',
    '1',
    '--json',
    join(dir, 'publisher.jsonl'),
  ]);
  assert.equal(pub.code, 0, pub.stdout);
  for (const c of clients) assert.equal(await c.exited, 0);
  await server.stop();

  const html = join(dir, 'report.html');
  const r = spawnSync(process.execPath, [bin, join(dir, '*.jsonl'), '--html', html], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\[INFO\] Bandwidth: in [\d.]+ MB\/s, out [\d.]+ MB\/s on average over \d+ intervals/);
  const page = readFileSync(html, 'utf8');
  assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=|(src|href)\s*=\s*["']?https?:/, 'self-contained: nothing loaded from elsewhere');

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (!url.startsWith('file:')) requests.push(url);
      return url.startsWith('file:') ? route.continue() : route.abort();
    });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`file://${html}`);
    await tab.waitForFunction(() => document.body.getAttribute('data-charts-drawn') !== null);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'the page asks the network for nothing');
    assert.equal(await tab.getAttribute('body', 'data-charts-drawn'), '8');
    for (const id of ['latency', 'rate', 'connections', 'errors', 'bandwidth', 'instances', 'phases', 'distribution']) {
      const points = Number(await tab.getAttribute(`#chart-${id}`, 'data-points'));
      assert.ok(points >= 3, `${id}: ${points} points`);
      assert.equal(await tab.locator(`#chart-${id} canvas`).count(), 1, `${id} drawn on a canvas`);
    }
    // The connect phases of all 200 attempts, merged from both instances.
    const phases = await tab.locator('#phases').innerText();
    for (const p of ['tcp', 'upgrade', 'session']) assert.match(phases, new RegExp(`${p}\\s+200\\s+[\\d.]+`), phases);
    // The time axis reads wall-clock time (not seconds since the start, not 2.00e+3); the distribution's reads percentiles.
    const axis = (id: string, k: number) => tab.evaluate(([c, a]) => (window as any).mdbenchCharts[c].axes[a]._values as string[], [id, k] as const);
    const times = await axis('chart-latency', 0);
    assert.ok(times.length >= 2 && times.every((x) => /^\d\d:\d\d:\d\d$/.test(x)), `time ticks ${JSON.stringify(times)}`);
    const ys = await axis('chart-latency', 1);
    assert.ok(
      ys.every((y) => !/e[+-]/.test(y)),
      `latency ticks ${JSON.stringify(ys)}`,
    );
    const pcts = await axis('chart-distribution', 0);
    assert.ok(
      pcts.some((x) => /^99(\.9+)?%$/.test(x)),
      `percentile ticks ${JSON.stringify(pcts)}`,
    );
    // Hovering a point shows its value in the legend.
    const over = tab.locator('#chart-latency .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    const before = await tab.locator('#chart-latency .u-legend .u-series:nth-child(4) .u-value').innerText();
    // Over a point that has a p99 (the first intervals, before publishing, have none).
    const px = await tab.evaluate(() => {
      const u = (window as any).mdbenchCharts['chart-latency'];
      const i = (u.data[3] as (number | null)[]).findIndex((v) => v !== null && v > 0);
      return u.valToPos(u.data[0][i], 'x');
    });
    await over.hover({ position: { x: px, y: box.height * 0.5 } });
    await tab.waitForTimeout(200);
    const value = await tab.locator('#chart-latency .u-legend .u-series:nth-child(4) .u-value').innerText();
    assert.match(value, /^\d[\d,]*(\.\d+)?$/, `the p99 under the cursor: "${value}" (before: "${before}")`);
    const pct = await tab.locator('#chart-distribution .u-legend .u-series:first-child .u-value').innerText();
    await tab.locator('#chart-distribution .u-over').hover();
    assert.ok((await tab.locator('#chart-distribution .u-legend .u-series:first-child .u-value').innerText()) !== pct || /%$/.test(pct));
    // Dragging zooms the time axis.
    const span = () => tab.evaluate(() => ((u) => u.scales.x.max - u.scales.x.min)((window as any).mdbenchCharts['chart-rate']));
    const xBefore = await span();
    await tab.locator('#chart-rate .u-over').scrollIntoViewIfNeeded();
    const rb = (await tab.locator('#chart-rate .u-over').boundingBox())!;
    await tab.mouse.move(rb.x + rb.width * 0.3, rb.y + rb.height / 2);
    await tab.mouse.down();
    await tab.mouse.move(rb.x + rb.width * 0.6, rb.y + rb.height / 2, { steps: 5 });
    await tab.mouse.up();
    await tab.waitForTimeout(200);
    const xAfter = await span();
    assert.ok(xAfter < xBefore * 0.6, `zoomed from ${xBefore} s to ${xAfter} s`);
  } finally {
    await browser.close();
  }
});

test('hostile log values: markup in a host name, a count or an error cause runs no script in the page; a count that is not a number is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-html-hostile-'));
  const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const l = new LatencyStats();
  for (const v of [100, 200, 300]) l.record(v);
  const base = {
    v: 1,
    tool: 'mdbench-client',
    version: 'test',
    host: attack,
    pid: 1,
    instance: 1,
    instances: 1,
    processes: 1,
    configDigest: attack,
    clockOffsetUs: null,
    clockRttUs: null,
    protocol: attack,
  };
  const rec = (type: string, ts: number) => ({
    ...base,
    type,
    ts: new Date(ts).toISOString(),
    uptimeS: 5,
    seconds: 5,
    latency: l.toWire(),
    latencyOther: l.toWire(),
    counters: { messages: 3 },
    errors: { [attack]: 2 },
    gauges: { open: 1, connected: 1, subscribed: 1, connecting: 0, reconnecting: 0, planned: 1, failed: 0 },
    loopDelay: { p99Ms: 1, maxMs: 2 },
    firstMessageUs: ts * 1000,
    lastMessageUs: ts * 1000 + 1000,
    rssBytes: 1,
    heapUsedBytes: 1,
    rssStartBytes: 1,
    perProcess: [],
  });
  const log = join(dir, 'client.jsonl');
  writeFileSync(
    log,
    `${[rec('interval', 1_800_000_000_000), rec('interval', 1_800_000_005_000), rec('summary', 1_800_000_010_000)].map((r) => JSON.stringify(r)).join('\n')}\n`,
  );
  const html = join(dir, 'report.html');
  const r = spawnSync(process.execPath, [bin, log, '--html', html], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr); // a null clock offset (non-native protocols, --clock-samples 0) is read
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`file://${html}`);
    await tab.waitForFunction(() => document.body.getAttribute('data-charts-drawn') !== null);
    await tab.waitForTimeout(300);
    assert.equal(await tab.evaluate(() => (window as any).__pwned ?? null), null, 'a script from the log ran');
    assert.ok((await tab.locator('#instances').innerText()).includes('<img src=x'), 'the host name is shown as text');
  } finally {
    await browser.close();
  }
  const bad = JSON.parse(JSON.stringify(rec('summary', 1_800_000_010_000)));
  bad.counters.messages = attack;
  writeFileSync(log, `${JSON.stringify(bad)}\n`);
  const refused = spawnSync(process.execPath, [bin, log], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /client\.jsonl:1.*counters: "messages" should be a number/);
});
