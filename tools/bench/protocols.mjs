#!/usr/bin/env node
// The protocol table: for each protocol against its real broker (nats-server, Mosquitto,
// RabbitMQ web-stomp), Socket.IO and graphql-ws against their example servers, and for native
// against mdbench-server, N connections (19,000: one broker
// process's share of a 20,000 open-file limit): the client's connection rate, its RSS per
// connection, and the deliveries/s at which its event-loop p99 stays under 20 ms (one-to-one
// publishing stepped through --rates; a step whose deliveries fall short of the rate is bounded by
// the broker or the publisher, and says so). One figure a line.
// Usage: node tools/bench/protocols.mjs [--connections 19000] [--rates 2000,5000,10000,20000,40000] [--seconds 8] [--only nats,mqtt,stomp,native,socket.io,graphql-ws]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExample, startMosquitto, startNats, startRabbit } from '../harness/brokers.mjs';
import { Proc, arg, figure, jsonLines, sleep, startServer } from '../harness/processes.mjs';

const N = Number(arg('connections', '19000'));
const rates = arg('rates', '2000,5000,10000,20000,40000').split(',').map(Number);
const seconds = Number(arg('seconds', '8'));
const only = arg('only', 'native,nats,mqtt,stomp').split(',');
const dir = mkdtempSync(join(tmpdir(), 'mdbench-protocols-'));
const num = (s) => Number(s.replace(/,/g, ''));

const servers = {
  native: async () => {
    const s = await startServer(['--expect-connections', String(N + 100)]);
    return { url: `127.0.0.1:${s.port}`, stop: () => s.stop(), what: 'mdbench-server' };
  },
  nats: async () => Object.assign(await startNats(), { what: 'nats-server' }),
  mqtt: async () => Object.assign(await startMosquitto(), { what: 'mosquitto' }),
  stomp: async () => Object.assign(await startRabbit(), { what: 'rabbitmq web-stomp' }),
  'socket.io': async () => Object.assign(await startExample('socketio-server'), { what: 'the socket.io example server (one process)' }),
  'graphql-ws': async () => Object.assign(await startExample('graphql-server'), { what: 'the graphql-ws example server (one process)' }),
};

for (const protocol of only) {
  const broker = await servers[protocol]();
  const url = broker.url;
  const json = join(dir, `${protocol}.jsonl`);
  const client = new Proc(
    'client',
    [
      '-s',
      url,
      '--protocol',
      protocol,
      '--clients',
      String(N),
      '--subjects',
      `/p/s{1..${N}}/-`,
      '--one-to-one',
      '--local-addresses',
      '127.0.0.{2..3}',
      '--local-ports',
      '30000-59999',
      '--connect-rate',
      '20000',
      '--handshake-timeout',
      '30',
      '--interval',
      '1',
      '--json',
      json,
      '--user',
      'guest',
      '--password',
      'guest',
    ],
    { echo: true },
  );
  const c = await client.waitFor(/Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed in ([\d.,]+) s \(([\d,]+) connections\/s/, 600_000);
  await sleep(3000);
  const before = jsonLines(readFileSync(json, 'utf8'))
    .filter((r) => r.type === 'interval')
    .at(-1);
  const rssPerConn = (before.rssBytes - before.rssStartBytes) / num(c[1]);
  let best = 0;
  let bound = 'none of the rates tried';
  for (const rate of rates) {
    const from = jsonLines(readFileSync(json, 'utf8')).length;
    const pub = new Proc(
      'publisher',
      [
        '-s',
        url,
        '--protocol',
        protocol,
        '--subjects',
        `/p/s{1..${N}}/-`,
        '--frequency',
        String(rate),
        '--duration',
        String(seconds),
        '--interval',
        String(seconds),
        '--user',
        'guest',
        '--password',
        'guest',
        '--connections',
        '4',
      ],
      { echo: true },
    );
    await pub.exited;
    await sleep(2000);
    const recs = jsonLines(readFileSync(json, 'utf8'))
      .slice(from)
      .filter((r) => r.type === 'interval');
    // The steady part: the seconds with messages, less the first and the last (both partial).
    const steady = recs.filter((r) => (r.counters.messages ?? 0) > 0).slice(1, -1);
    const delivered =
      steady.reduce((a, r) => a + (r.counters.messages ?? 0), 0) /
      Math.max(
        1e-9,
        steady.reduce((a, r) => a + r.seconds, 0),
      );
    const loop = Math.max(0, ...steady.map((r) => r.loopDelay.p99Ms));
    figure(`${protocol}_rate_${rate}_delivered_per_sec`, delivered);
    figure(`${protocol}_rate_${rate}_client_loop_p99`, loop, 'ms');
    if (loop >= 20) {
      bound = `the client (loop p99 ${loop.toFixed(1)} ms at ${rate} msg/s)`;
      break;
    }
    if (delivered < 0.95 * rate) {
      best = Math.max(best, delivered);
      bound = `${broker.what} or the publisher (${delivered.toFixed(0)} of ${rate} msg/s delivered, client loop p99 ${loop.toFixed(1)} ms)`;
      break;
    }
    best = delivered;
  }
  client.kill('SIGINT');
  await client.exited;
  await broker.stop();
  figure(`${protocol}_connections`, num(c[1]));
  figure(`${protocol}_connect_rate`, num(c[5]), 'conn/s (first connect to last subscription acknowledged)');
  figure(`${protocol}_client_rss_per_connection`, rssPerConn, 'bytes');
  figure(`${protocol}_deliveries_per_sec_loop_under_20ms`, best, 'deliveries/s');
  figure(`${protocol}_bounded_by`, bound);
}
process.exit(0);
