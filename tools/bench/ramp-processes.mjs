#!/usr/bin/env node
// How the connection rate depends on the number of processes sharing the cores: the same N
// connections (60,000) opened by mdbench-client into mdbench-server with few processes on each
// side (the baseline: --few, 4) and with many client workers, then many server workers (--many, 30).
// On a host whose open-file limit forces dozens of processes (20,000 per process here), this is
// what bounds the ramp. One figure a line. Usage: node tools/bench/ramp-processes.mjs [--connections 60000] [--few 4] [--many 30] [--connect-rate 20000]
import { arg, figure, sleep, startServer } from '../harness/processes.mjs';
import { oneToOneFleet } from './one-to-one-fleet.mjs';

const N = Number(arg('connections', '60000'));
const few = arg('few', '4');
const many = arg('many', '30');
const connectRate = arg('connect-rate', '20000');

async function rate(clientWorkers, serverWorkers) {
  const s = await startServer(['--workers', serverWorkers, '--expect-connections', String(N + 1000)]);
  const c = oneToOneFleet(s.port, N, {
    ports: '30000-50000',
    workers: clientWorkers,
    extra: ['--connect-rate', connectRate, '--max-pending', '4000', '--interval', '3600'],
  });
  const m = await c.waitFor(/Connected: [\d,]+ open, [\d,]+ subscribed, [\d,]+ failed in [\d.,]+ s \(([\d,]+) connections\/s/, 600_000);
  c.kill('SIGINT');
  await c.exited;
  await s.stop();
  await sleep(2000);
  return Number(m[1].replace(/,/g, ''));
}

figure('connections', N);
const base = await rate(few, few);
figure(`rate_client_${few}_server_${few}`, base, 'conn/s (baseline)');
const manyClients = await rate(many, few);
figure(`rate_client_${many}_server_${few}`, manyClients, 'conn/s');
figure(`rate_client_${many}_server_${few}_ratio`, manyClients / base, 'x baseline');
const manyServers = await rate(few, many);
figure(`rate_client_${few}_server_${many}`, manyServers, 'conn/s');
figure(`rate_client_${few}_server_${many}_ratio`, manyServers / base, 'x baseline');
process.exit(0);
