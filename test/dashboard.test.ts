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
  const client = new Proc('client', ['-s', url, '--token', token, '--clients', '20', '--subjects', '/p/s{1..20}/-', '--one-to-one', '--interval', '1', '--dashboard', '127.0.0.1:0', '--thresholds', 'p99<10s,loss=0']);
  const page = (await client.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/))[1];
  await client.waitFor(/Connected: 20 open, 20 subscribed/, 60_000);
  const pub = new Proc('publisher', ['-s', url, '--token', token, '--subjects', '/p/s{1..20}/-', '--frequency', '300', '--duration', '30', '--interval', '1']);
  assert.equal((await fetch(page)).status, 401, 'without the token');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
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
    await tab.waitForFunction(() => Number(document.querySelector('#chart-latency')?.getAttribute('data-points')) >= 3 && document.querySelector('#now')?.textContent?.includes('msg/s'), null, { timeout: 60_000 });
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
