import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { Proc, startServer } from '../tools/harness/processes.mjs';

// The client's live dashboard opened in Debian's Chromium, offline: the charts fill and change as
// the run goes on (two screenshots seconds apart differ), the thresholds' state is shown, and with
// a token set the page asks for it.

test('--dashboard: a live page whose charts hold data and change every interval; nothing fetched from the network; the token guards it', async () => {
  const token = 'dash-secret';
  const server = await startServer(['--workers', '1', '--token', token]);
  const url = `127.0.0.1:${server.port}`;
  const client = new Proc('client', [
    '-s',
    url,
    '--token',
    token,
    '--clients',
    '20',
    '--subjects',
    '/p/s{1..20}/-',
    '--one-to-one',
    '--interval',
    '1',
    '--dashboard',
    '127.0.0.1:0',
    '--thresholds',
    'p99<10s,loss=0',
  ]);
  const page = (await client.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/))[1];
  await client.waitFor(/Connected: 20 open, 20 subscribed/, 60_000);
  const pub = new Proc('publisher', ['-s', url, '--token', token, '--subjects', '/p/s{1..20}/-', '--frequency', '300', '--duration', '30', '--interval', '1']);
  assert.equal((await fetch(page)).status, 401, 'without the token');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (!u.startsWith(page)) elsewhere.push(u);
      return u.startsWith(page) ? route.continue() : route.abort();
    });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${page}?token=${token}`);
    const points = async () => Number(await tab.getAttribute('#chart-latency', 'data-points'));
    await tab.waitForFunction(
      () =>
        Number(document.querySelector('#chart-latency')?.getAttribute('data-points')) >= 3 && document.querySelector('#now')?.textContent?.includes('msg/s'),
      null,
      { timeout: 60_000 },
    );
    const first = await tab.locator('body').screenshot();
    const n1 = await points();
    await tab.waitForFunction((n) => Number(document.querySelector('#chart-latency')?.getAttribute('data-points')) >= n + 2, n1, { timeout: 30_000 });
    const second = await tab.locator('body').screenshot();
    assert.ok(!first.equals(second), 'the page changed between the two screenshots');
    assert.ok((await points()) >= n1 + 2);
    assert.match(await tab.locator('#now').innerText(), /p99\s+[\d.]+ ms/);
    assert.match(await tab.locator('#now').innerText(), /subscribed\s+20 of 20/);
    assert.match(await tab.locator('#thresholds').innerText(), /p99<10s passed \([\d.]+ ms\)/);
    for (const id of ['chart-rate', 'chart-connections']) assert.ok(Number(await tab.getAttribute(`#${id}`, 'data-points')) >= 3, id);
    assert.deepEqual(errors, []);
    assert.deepEqual(elsewhere, [], 'the page asks the network for nothing');
  } finally {
    await browser.close();
    pub.kill('SIGINT');
    await pub.exited;
    client.kill('SIGINT');
    await client.exited;
    await server.stop();
  }
});

test("mdbench-report --follow: the growing logs of two client instances drawn live, each interval merged; the events carry the fleet's figures and thresholds", async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-follow-'));
  const server = await startServer(['--workers', '1']);
  const url = `127.0.0.1:${server.port}`;
  const clients = [1, 2].map(
    (k) =>
      new Proc('client', [
        '-s',
        url,
        '--instance',
        String(k),
        '--instances',
        '2',
        '--clients',
        '10',
        '--subjects',
        '/p/s{1..20}/-',
        '--one-to-one',
        '--interval',
        '1',
        '--json',
        join(dir, `client-${k}.jsonl`),
      ]),
  );
  for (const c of clients) await c.waitFor(/Connected: 10 open, 10 subscribed/, 60_000);
  const follow = new Proc('report', [join(dir, 'client-*.jsonl'), '--follow', '--dashboard', '127.0.0.1:0', '--thresholds', 'loss=0']);
  const page = (await follow.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/))[1];
  const pub = new Proc('publisher', ['-s', url, '--subjects', '/p/s{1..20}/-', '--frequency', '200', '--duration', '30', '--interval', '1']);
  try {
    const res = await fetch(`${page}events`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const points: { t: number; rate: number; subscribed: number; planned: number; p99: number | null; thresholds: { text: string }[] }[] = [];
    let text = '';
    const deadline = Date.now() + 60_000;
    while (points.filter((p) => p.rate > 0).length < 8 && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
      let at: number;
      while ((at = text.indexOf('\n\n')) >= 0) {
        const chunk = text.slice(0, at);
        text = text.slice(at + 2);
        if (!chunk.startsWith('data: ')) continue;
        // As the page does: a slot an instance wrote to late is sent again with its t and replaces
        // the point; a slot only a late record made (one the others skipped) goes in its place.
        const point = JSON.parse(chunk.slice(6));
        const same = points.findIndex((p) => p.t === point.t);
        if (same >= 0) points[same] = point;
        else points.splice(points.filter((p) => p.t < point.t).length, 0, point);
      }
    }
    await reader.cancel();
    const flowing = points.filter((p) => p.rate > 0);
    assert.ok(flowing.length >= 8, JSON.stringify(points.slice(-3)));
    // One point per merged interval: the points' times are whole report intervals (1 s) apart.
    for (let i = 1; i < points.length; i++) {
      const step = (points[i].t - points[i - 1].t) / 1000;
      assert.ok(step >= 1 && Math.abs(step - Math.round(step)) < 0.01, `points ${points[i - 1].t} and ${points[i].t}`);
    }
    // Both instances merged: 20 planned and subscribed, about 200 msg/s between them. The first
    // flowing points hold the publisher's start (on a loaded host 46 and 60 msg/s, then 99) and the
    // newest may still wait for one instance's record (it is sent again when that arrives), so the
    // rate is judged on the median of the points between.
    const last = flowing[flowing.length - 1];
    assert.deepEqual([last.planned, last.subscribed], [20, 20]);
    const rates = flowing
      .slice(2, -1)
      .map((p) => p.rate)
      .sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)];
    assert.ok(median > 100 && median < 300, `rates ${rates.join(', ')}`);
    assert.ok((last.p99 ?? 0) > 0);
    assert.match(last.thresholds[0].text, /^loss=0 passed \(0\)$/);
  } finally {
    pub.kill('SIGINT');
    await pub.exited;
    follow.kill('SIGINT');
    assert.equal(await follow.exited, 0, follow.stdout + follow.stderr);
    for (const c of clients) c.kill('SIGINT');
    for (const c of clients) await c.exited;
    await server.stop();
  }
});
