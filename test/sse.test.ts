import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { type Broker, startMdbench, startNchan } from '../tools/harness/brokers.mjs';
import { Proc, jsonLines, sleep, summaryOf, track } from '../tools/harness/processes.mjs';
import { N, RATE, type ServerCase, restartRun } from './helpers/restart-run.js';

// Server-Sent Events against mdbench-server and against nginx with Nchan: the restart run of
// helpers/restart-run.ts over SSE (HTTP publishing), and a cross-check of one channel by readers
// that are not mdbench: curl -N and Chromium's own EventSource count exactly what mdbench's SSE
// and WebSocket subscribers of the same channel count.

const dir = mkdtempSync(join(tmpdir(), 'mdbench-sse-'));

// Addresses of their own: these runs may go beside the brokers' (which use 127.0.2.x).
const sse = {
  protocol: 'native',
  args: [],
  clientArgs: ['--transport', 'sse'],
  publisherArgs: ['--transport', 'http'],
  reported: 'plain',
  downMs: 1000,
  localAddresses: '127.0.12.{1..2}',
};
const cases: ServerCase[] = [
  { name: 'mdbench-server over SSE', ...sse, start: (p) => startMdbench({ wsPort: p }) },
  { name: 'Nchan over SSE', ...sse, start: (p) => startNchan({ wsPort: p }) },
];

for (const c of cases) {
  test(`${c.name}: ${N.toLocaleString('en-US')} SSE subscribers over two aliases, HTTP publishing at ${RATE.toLocaleString('en-US')} msg/s, every message accounted; the server killed and restarted mid-run`, () =>
    restartRun(c));
}

/** Counts the `data:` lines of one stream read by curl -N. */
function curlStream(url: string): { count: () => number; stop: () => void } {
  let text = '';
  const child = track(spawn('curl', ['-sN', '-H', 'Accept: text/event-stream', url], { stdio: ['ignore', 'pipe', 'inherit'] }));
  child.stdout.on('data', (d) => (text += d));
  return { count: () => text.split('\n').filter((l) => l.startsWith('data: MDB1 ')).length, stop: () => child.kill() };
}

/** Messages an mdbench-client's interval records hold so far. */
function counted(file: string): number {
  return jsonLines(readFileSync(file, 'utf8'))
    .filter((r) => r.type === 'interval')
    .reduce((a, r) => a + (r.counters.messages ?? 0), 0);
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(200);
  }
}

const SUBSCRIBERS = 100;
const MESSAGES = 1000;

/** One channel, four kinds of reader: mdbench over SSE and over WebSocket (`wsArgs`), curl -N, Chromium's EventSource. */
async function crossCheck(server: Broker, name: string, wsArgs: string[]): Promise<void> {
  const subject = '/p/s1/-';
  const streamUrl = `http://127.0.0.1:${server.wsPort}/sub/${subject}`;
  const files = { sse: join(dir, `${name}-sse.jsonl`), ws: join(dir, `${name}-ws.jsonl`), pub: join(dir, `${name}-pub.jsonl`) };
  const common = ['-s', server.url, '--clients', String(SUBSCRIBERS), '--subjects', subject, '--interval', '1', '--duration', '120'];
  const viaSse = new Proc('client', [...common, '--transport', 'sse', '--local-addresses', '127.0.3.1', '--json', files.sse]);
  const viaWs = new Proc('client', [...common, ...wsArgs, '--local-addresses', '127.0.3.2', '--json', files.ws]);
  const curl = curlStream(streamUrl);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const ready = new RegExp(`Connected: ${SUBSCRIBERS} open, ${SUBSCRIBERS} subscribed`);
    await Promise.all([viaSse.waitFor(ready, 60_000), viaWs.waitFor(ready, 60_000)]);
    const tab = await browser.newPage();
    await tab.evaluate(
      (url) =>
        new Promise<void>((resolve, reject) => {
          const w = window as unknown as { count: number; es: EventSource };
          w.count = 0;
          w.es = new EventSource(url);
          w.es.onmessage = (e) => {
            if (String(e.data).startsWith('MDB1 ')) w.count++;
          };
          w.es.onopen = () => resolve();
          setTimeout(() => reject(new Error('EventSource did not open in 20 s')), 20_000);
        }),
      streamUrl,
    );
    // curl's stream is open once its head arrived: the server's first bytes (a retry or a comment) or nothing; give it the browser's wait.
    const pub = new Proc('publisher', [
      '-s',
      server.url,
      '--transport',
      'http',
      '--subjects',
      subject,
      '--frequency',
      '200',
      '--messages',
      String(MESSAGES),
      '--json',
      files.pub,
    ]);
    assert.equal(await pub.exited, 0, pub.stdout + pub.stderr);
    const sent = summaryOf(files.pub).totalSent;
    assert.equal(sent, MESSAGES);
    const browserCount = () => tab.evaluate(() => (window as unknown as { count: number }).count);
    await until(
      `every reader has ${sent} messages`,
      async () => counted(files.sse) >= SUBSCRIBERS * sent && counted(files.ws) >= SUBSCRIBERS * sent && curl.count() >= sent && (await browserCount()) >= sent,
      30_000,
    );
    await sleep(1500); // one more interval: anything beyond the expected would show
    assert.equal(curl.count(), sent, 'curl -N');
    assert.equal(await browserCount(), sent, "Chromium's EventSource");
    viaSse.kill('SIGINT');
    viaWs.kill('SIGINT');
    assert.equal(await viaSse.exited, 0, viaSse.stdout.slice(-2000));
    assert.equal(await viaWs.exited, 0, viaWs.stdout.slice(-2000));
    for (const f of [files.sse, files.ws]) {
      const s = summaryOf(f);
      assert.equal(s.counters.messages, SUBSCRIBERS * sent, f);
      assert.equal(s.counters.gaps ?? 0, 0, f);
      assert.equal(s.counters.unstamped ?? 0, 0, f);
    }
  } finally {
    curl.stop();
    viaSse.kill('SIGKILL');
    viaWs.kill('SIGKILL');
    await browser.close();
  }
}

test('one channel read by mdbench over SSE and WebSocket, curl -N and Chromium EventSource: mdbench-server and Nchan, every reader counts exactly what was published', async () => {
  const mdb = await startMdbench();
  try {
    await crossCheck(mdb, 'mdbench-server', []);
  } finally {
    await mdb.stop();
  }
  const nchan = await startNchan();
  try {
    await crossCheck(nchan, 'nchan', ['--protocol', 'plain']);
  } finally {
    await nchan.stop();
  }
});
