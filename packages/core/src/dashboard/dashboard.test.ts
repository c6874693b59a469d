import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Dashboard, type DashboardPoint } from './dashboard.js';
import { fuzzHttp } from '../testing/http-fuzz.js';

const point = (t: number): DashboardPoint => ({
  t,
  p50: 1,
  p99: 2,
  max: 3,
  rate: 100,
  open: 10,
  subscribed: 10,
  planned: 10,
  errors: 0,
  gaps: 0,
  thresholds: [],
});

test('a request target such as // and fuzzed request lines, paths and headers do not end the dashboard', async () => {
  for (const token of [undefined, 'tok']) {
    const d = new Dashboard('run <1>', token);
    await d.listen('127.0.0.1', 0);
    const auth = token ? '?token=tok' : '';
    assert.notEqual((await fetch(`http://127.0.0.1:${d.port}//${auth}`)).status, 200);
    await fuzzHttp(d.port, 300, token ? 5 : 6);
    const page = await fetch(`http://127.0.0.1:${d.port}/${auth}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(!html.includes('__TITLE__'), 'every placeholder of the title replaced');
    assert.equal(html.split('run &#60;1&#62;').length - 1, 2, 'the title escaped, in the head and the heading');
    d.close();
  }
});

test('event streams are capped, a page that never reads is dropped at a bound, a new page gets a bounded history', async () => {
  const d = new Dashboard('cap');
  await d.listen('127.0.0.1', 0);
  for (let i = 0; i < 3600; i++) d.publish(point(i));
  // Pages that never read: open until the cap answers 503.
  const held: http.ClientRequest[] = [];
  const statuses: number[] = [];
  for (let i = 0; i < 24; i++) {
    const status = await new Promise<number>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: d.port, path: '/events' }, (res) => {
        res.pause();
        resolve(res.statusCode ?? 0);
      });
      held.push(req);
    });
    statuses.push(status);
  }
  assert.equal(statuses.filter((s) => s === 200).length, 16);
  assert.equal(statuses.filter((s) => s === 503).length, 8);
  const streams = (d as unknown as { streams: Set<http.ServerResponse> }).streams;
  for (const s of streams) assert.ok(s.writableLength <= 300 << 10, `a new page got ${s.writableLength} bytes at once`);
  // Points keep coming; pages that never read are dropped before 1 MiB waits for each.
  for (let i = 0; i < 40_000 && streams.size > 0; i++) d.publish(point(3600 + i));
  assert.equal(streams.size, 0, 'pages that never read were dropped');
  for (const r of held) r.destroy();
  d.close();
});
