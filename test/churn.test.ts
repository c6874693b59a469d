import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, descendantFds, jsonLines, run, sleep, startServer, summaryOf } from '../tools/harness/processes.mjs';

// Churn (--lifetime): connections from explicit local addresses and ports close themselves after a
// short life and their slots connect again at once from the same address and port; the population
// holds, no socket leaks, and nothing is lost while a connection is online (what was published
// while it was away is counted apart).

const dir = mkdtempSync(join(tmpdir(), 'mdbench-churn-'));

test('lifetimes of 4-8 s for a minute from explicit ports: the population holds within 5%, open files return to their level, nothing lost while online', async () => {
  const server = await startServer();
  const json = join(dir, 'churn.jsonl');
  const url = `127.0.0.1:${server.port}`;
  const client = new Proc('client', [
    '-s',
    url,
    '--clients',
    '400',
    '--subjects',
    '/p/s{1..10}/-',
    '--one-to-one',
    '--local-addresses',
    '127.0.5.{1..2}',
    '--local-ports',
    '21000-21199',
    '--lifetime',
    'uniform:4s-8s',
    '--duration',
    '60',
    '--interval',
    '2',
    '--json',
    json,
  ]);
  try {
    await client.waitFor(/Connected: 400 open, 400 subscribed/, 30_000);
    const rampedAtMs = Date.now();
    const startFds = descendantFds(client.child.pid as number);
    const pub = new Proc('publisher', ['-s', url, '--subjects', '/p/s{1..10}/-', '--frequency', '200', '--duration', '60']);
    await sleep(55_000);
    const lateFds = descendantFds(client.child.pid as number);
    assert.equal(await client.exited, 0, client.stdout + client.stderr);
    pub.kill('SIGINT');
    await pub.exited;
    // No leak: not more than a few sockets in their handshake or close at the moment of counting;
    // fewer is connections between their close and their reconnect, more of them on a loaded host
    // (440 after the ramp, 418 under churn with a busy loop beside the tests).
    assert.ok(lateFds - startFds <= 20 && lateFds >= startFds * 0.85, `worker fds ${startFds} after the ramp, ${lateFds} after 55 s of churn`);
    const records = readFileSync(json, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The population over each interval (the coordinator's samples every 250 ms, its mean): within
    // 5% on average, no interval's mean 10% under. The gauge at an interval's end is one sample: a
    // loaded new machine showed 266 of 400 at one end (a pause of a second in the close handshakes
    // of 130 lifetimes ending each second), which the interval's mean weighs for as long as it lasted.
    // Lifetimes of 4-8 s (67 ending a second): with 2-4 s a stall of a second on a shared CI host took
    // a third of the population away at once (one interval's mean 354 of 400 in a quiet fresh-clone run).
    // Intervals that began once all 400 were subscribed (a busy host once took over 4 s to ramp, and
    // the intervals of the ramp hold fewer by design).
    const intervalsAfterRamp = records.filter((x) => x.type === 'interval' && Date.parse(x.ts) - x.seconds * 1000 >= rampedAtMs);
    const held = intervalsAfterRamp.map((x) => x.population?.mean ?? Number.NaN);
    const shown = intervalsAfterRamp.map((x) => `${x.population?.min}/${x.population?.mean.toFixed(0)}/${x.population?.max}`).join(', ');
    assert.ok(held.length >= 5 && held.every((n) => n >= 360), `subscribed min/mean/max per interval ${shown} of 400`);
    assert.ok(held.reduce((a, n) => a + n, 0) / held.length >= 380, `subscribed min/mean/max per interval ${shown} of 400`);
    const s = summaryOf(json);
    const k = s.counters;
    // 400 connections living 6 s on average for about 58 s: about 3,900 lifetimes ended.
    assert.ok(k.lifetimeEnds > 3000, `lifetime ends ${k.lifetimeEnds}`);
    assert.equal(k.gaps, 0);
    assert.ok(k.missedOffline > 0, JSON.stringify(k));
    assert.ok(k.messages > 0);
    assert.deepEqual(s.errors, {}, 'no EADDRINUSE, EADDRNOTAVAIL or other error: every slot reconnects from its own address and port');
    assert.equal(s.gauges.subscribed, 400);
    assert.match(
      client.stdout,
      /Churn: [\d,]+ connections closed themselves at the end of their lifetime and connected again; [\d,]+ messages published while they were away/,
    );
  } finally {
    client.kill('SIGKILL');
    await server.stop();
  }
});

test('a lifetime that cannot be parsed: one line naming the option and what is wrong, exit 2, before any connection', async () => {
  for (const [value, why] of [
    ['300s', /not a lifetime: fixed:DURATION, exp:MEAN or uniform:LOW-HIGH/],
    ['exp:soon', /"soon" is not a duration/],
  ] as const) {
    const r = await run('client', ['-s', '127.0.0.1:1', '--lifetime', value]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--lifetime/);
    assert.match(r.stderr, why);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('the open model: arrivals at 200/s living 1-2 s hold about 300 connections (Little: rate x mean life); each leaves for good and frees its slot; the Population line and records say so', async () => {
  const server = await startServer();
  const json = join(dir, 'open.jsonl');
  try {
    const r = await run('client', [
      '-s',
      `127.0.0.1:${server.port}`,
      '--clients',
      '1000',
      '--subjects',
      '/p/s{1..10}/-',
      '--local-addresses',
      '127.0.5.3',
      '--local-ports',
      '22000-22999',
      '--arrival-rate',
      '200',
      '--lifetime',
      'uniform:1s-2s',
      '--duration',
      '12',
      '--interval',
      '2',
      '--json',
      json,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /Population: subscribed min [\d,]+ \/ mean [\d.,]+ \/ max [\d,]+ of 1,000 planned; [\d.]+ connect attempts\/s, [\d.]+ disconnects\/s, [\d.]+ lifetimes ended\/s/,
    );
    const records = jsonLines(readFileSync(json, 'utf8'));
    // Past the first 3 s the population is in its steady state, up to the last interval (the run's
    // end cuts it: min 103, mean 239.5 on a loaded CI host). A busy host subscribes arrivals later,
    // so fewer are subscribed at once than Little's 300: the lower bound allows a third less.
    const steady = records.filter((x) => x.type === 'interval' && x.uptimeS > 4 && x.population).slice(0, -1);
    assert.ok(steady.length >= 2, JSON.stringify(records.map((x) => x.population)));
    for (const x of steady) assert.ok(x.population.mean > 200 && x.population.mean < 360, `population ${JSON.stringify(x.population)}`);
    const s = records.find((x) => x.type === 'summary');
    assert.equal(s.counters.arrivalsRefused ?? 0, 0);
    // About 200/s arriving for 12 s, each gone 1-2 s later.
    assert.ok(s.counters.lifetimeEnds > 1500 && s.counters.lifetimeEnds < 2600, `lifetime ends ${s.counters.lifetimeEnds}`);
    assert.equal(s.counters.gaps, 0);
    assert.deepEqual(s.errors, {});
  } finally {
    await server.stop();
  }
});
