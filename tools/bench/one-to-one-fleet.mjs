// The subscriber fleet most benchmarks ramp: N connections to one server, one subject each
// (/p/s1/- ...), from explicit successive ports of PREFIX.x aliases (as many as the port range needs), as
// many client processes as the open-file limit needs unless `workers` says; `extra` appended.
import { Proc } from '../harness/processes.mjs';

/** Starts mdbench-client for the fleet; returns its Proc. */
export function oneToOneFleet(port, n, { aliases = '127.0.3', ports = '20000-64999', workers = Math.ceil(n / 19_000), extra = [] } = {}) {
  const [from, to] = ports.split('-').map(Number);
  return new Proc('client', [
    '-s',
    `127.0.0.1:${port}`,
    '--clients',
    String(n),
    '--subjects',
    `/p/s{1..${n}}/-`,
    '--one-to-one',
    '--local-addresses',
    `${aliases}.{1..${Math.ceil(n / (to - from + 1))}}`,
    '--local-ports',
    ports,
    '--workers',
    String(workers),
    ...extra,
  ]);
}

/** The fleet's Connected line: [line, open, subscribed, failed, seconds, connections/s]. */
export const CONNECTED = /Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed in ([\d.,]+) s \(([\d,]+) connections\/s/;
