import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus } from '../tools/harness/brokers.mjs';
import { Proc, run, sleep, startServer, summaryOf } from '../tools/harness/processes.mjs';

// Live metrics, read back through a real Prometheus (Debian's) that scrapes the server's monitor,
// the client and the publisher during a short run.

test('Prometheus scrapes the server, the client and the publisher; the series it stores match the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-prom-'));
  const token = 'metrics-secret';
  const server = await startServer(['--workers', '2', '--token', token]);
  const json = join(dir, 'client.jsonl');
  const client = new Proc('client', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--token',
    token,
    '--clients',
    '50',
    '--subjects',
    '/p/s{1..50}/-',
    '--one-to-one',
    '--interval',
    '1',
    '--duration',
    '60',
    '--metrics-listen',
    ':0',
    '--json',
    json,
  ]);
  const clientPort = Number((await client.waitFor(/Metrics: http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
  await client.waitFor(/Connected: 50 open, 50 subscribed/);
  const pjson = join(dir, 'publisher.jsonl');
  const pub = new Proc('publisher', [
    '-s',
    `127.0.0.1:${server.port}`,
    '--token',
    token,
    '--subjects',
    '/p/s{1..50}/-',
    '--frequency',
    '200',
    '--duration',
    '60',
    '--metrics-listen',
    '127.0.0.1:0',
    '--json',
    pjson,
  ]);
  const pubPort = Number((await pub.waitFor(/Metrics: http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
  // Without the token, the metrics are refused.
  assert.equal((await fetch(`http://127.0.0.1:${clientPort}/metrics`)).status, 401);
  const prom = await startPrometheus(
    { 'mdbench-server': [`127.0.0.1:${server.monitorPort}`], 'mdbench-client': [`127.0.0.1:${clientPort}`], 'mdbench-publisher': [`127.0.0.1:${pubPort}`] },
    { token },
  );
  try {
    await sleep(6000);
    pub.kill('SIGINT');
    assert.equal(await pub.exited, 0, pub.stdout);
    await sleep(3500); // the client's next interval and two scrapes
    const value = async (expr: string) => {
      const r = await prom.query(expr);
      assert.equal(r.length, 1, `${expr}: ${JSON.stringify(r)}`);
      return Number(r[0].value[1]);
    };
    // The publisher has stopped: its last scrape may be up to a scrape interval (1 s) before its last send.
    const published = summaryOf(pjson).totalSent;
    const scraped = await value('last_over_time(mdbench_publisher_messages_total[1m])');
    assert.ok(published >= 1000 && scraped <= published && scraped >= published - 2 * 200, `published ${published}, last scraped ${scraped}`);
    assert.equal(await value('last_over_time(mdbench_publisher_target_rate[1m])'), 200, 'the publisher has stopped: its last sample');
    assert.equal(await value('mdbench_server_messages_in_total'), published);
    assert.equal(await value('mdbench_client_messages_total'), published, 'every message counted by the client as the publisher sent them');
    assert.equal(await value('mdbench_client_connections{state="subscribed"}'), 50);
    assert.equal(await value('mdbench_client_gaps_total'), 0);
    const p99 = await value('mdbench_client_latency_seconds{quantile="0.99"}');
    // A sane figure in seconds (1.43 s once on a CI host busy with two other lanes).
    assert.ok(p99 > 0 && p99 < 10, `p99 ${p99} s`);
    assert.equal(await value('mdbench_client_latency_seconds_count'), published);
    assert.ok((await prom.query('mdbench_server_connections')).length === 1);
    // Every connection's attempt phases, scraped as summaries with a phase label.
    assert.equal(await value('mdbench_client_connect_phase_seconds_count{phase="upgrade"}'), 50);
    assert.equal(await value('mdbench_client_connect_phase_seconds_count{phase="session"}'), 50);
    client.kill('SIGINT');
    assert.equal(await client.exited, 0);
    // The exported quantile is the merged histogram's, as in the client's own records.
    const s = summaryOf(json);
    assert.equal(s.counters.messages, published);
  } finally {
    client.kill('SIGKILL');
    await prom.stop();
    await server.stop();
  }
});

test('a metrics address that is not one, or a port in use: one line, exit 2 or 3', async () => {
  const bad = await run('client', ['--metrics-listen', 'everywhere']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^mdbench-client: error: command line: --metrics-listen: "everywhere" is not HOST:PORT/);
  const server = await startServer(['--workers', '1']);
  const busy = await run('publisher', ['-s', `127.0.0.1:${server.port}`, '--metrics-listen', `127.0.0.1:${server.monitorPort}`, '--messages', '1']);
  assert.equal(busy.code, 3, busy.stderr);
  assert.match(busy.stderr, /^mdbench-publisher: error: command line: --metrics-listen: cannot start the metrics endpoint on 127\.0\.0\.1:\d+: EADDRINUSE\n$/);
  await server.stop();
});
