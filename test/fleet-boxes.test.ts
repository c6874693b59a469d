import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { binPath, sleep, track } from '../tools/harness/processes.mjs';

// The article's topology in miniature (tools/dev/boxes.mjs): a server box, 4 publisher boxes with 2
// instances each and 10 client boxes with their own aliases, each a network namespace with its own
// sshd; examples/ssh/run-fleet.sh drives both fleets over real ssh and brings the logs back; one
// mdbench-report merges the 10 client instances exactly and reconciles them with the 8 publishers.

const root = new URL('..', import.meta.url).pathname;
const dir = '/tmp/mdbench-boxes-test';
const CLIENTS = 10;
const PER_BOX = 500;
const SUBJECTS = CLIENTS * PER_BOX;
const PUBLISHERS = 8;
const MESSAGES = 500;

function fleet(tool: 'client' | 'publisher', hosts: string, flags: string[]): { done: Promise<number>; out: () => string } {
  let out = '';
  const child = track(
    spawn('bash', [join(root, 'examples/ssh/run-fleet.sh'), '10.77.0.1:8800', join(dir, hosts), ...flags], {
      cwd: dir,
      env: {
        ...process.env,
        MDBENCH_TOOL: tool,
        MDBENCH_PER_HOST: tool === 'publisher' ? '2' : '1',
        MDBENCH_DIR: root,
        MDBENCH_SSH_CONFIG: join(dir, 'ssh_config'),
        MDBENCH_LOGS: join(dir, `${tool}s`),
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return { done: new Promise((r) => child.once('exit', (code) => r(code ?? 1))), out: () => out };
}

const logOf = (tool: string, k: number) => {
  try {
    return readFileSync(join(dir, `${tool}s`, `${tool}-${k}.log`), 'utf8');
  } catch {
    return '';
  }
};

test('network namespaces as boxes: 10 client boxes x 500 subscribers and 4 publisher boxes x 2 instances driven over ssh by run-fleet.sh; one report merges the 10 instances exactly and every message is reconciled', async () => {
  const boxes = spawnSync(process.execPath, [join(root, 'tools/dev/boxes.mjs'), 'up', '--dir', dir, '--clients', String(CLIENTS), '--publishers', '4'], {
    encoding: 'utf8',
  });
  assert.equal(boxes.status, 0, boxes.stderr);
  const server = track(
    spawn('ip', ['netns', 'exec', 'mdb-srv', process.execPath, binPath('server'), '--listen', '10.77.0.1:8800', '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  try {
    let serverOut = '';
    server.stdout.on('data', (d) => (serverOut += d));
    while (!/Listening: /.test(serverOut)) {
      assert.equal(server.exitCode, null, serverOut);
      await sleep(100);
    }
    const subjects = `/p/s{1..${SUBJECTS}}/-`;
    const clients = fleet('client', 'clients.txt', [
      '--clients',
      String(PER_BOX),
      '--subjects',
      subjects,
      '--one-to-one',
      '--local-ports',
      '20000-29999',
      '--interval',
      '2',
      '--duration',
      '600',
    ]);
    // Each box's client connected from its own aliases before anything is published.
    for (let k = 1; k <= CLIENTS; k++) {
      const end = Date.now() + 120_000;
      while (!new RegExp(`Connected: ${PER_BOX} open, ${PER_BOX} subscribed`).test(logOf('client', k))) {
        assert.ok(Date.now() < end, `client box ${k}: ${logOf('client', k).slice(-1500)}\n${clients.out()}`);
        await sleep(200);
      }
      assert.match(logOf('client', k), new RegExp(`Plan: .*10\\.77\\.1\\.${k}`), `box ${k} binds its own aliases`);
    }
    const pubs = fleet('publisher', 'publishers.txt', ['--subjects', subjects, '--frequency', '100', '--messages', String(MESSAGES), '--interval', '2']);
    // A loaded host may miss the rate in an interval (exit 1): what was published is what the report reconciles below.
    const published = await pubs.done;
    const publisherLogs = () => Array.from({ length: PUBLISHERS }, (_, i) => logOf('publisher', i + 1).slice(-1500)).join('\n');
    assert.ok([0, 1].includes(published), pubs.out() + publisherLogs());
    // The clients are stopped (SIGINT: each drains what is in flight and writes its summary), then run-fleet brings the logs back and reports.
    spawnSync('pkill', ['-INT', '-f', 'mdbench-client.js --server-addresses 10.77.0.1:8800']);
    assert.ok([0, 1].includes(await clients.done), clients.out());
    const report = spawnSync(process.execPath, [binPath('report'), join(dir, 'clients', '*.jsonl'), join(dir, 'publishers', '*.jsonl')], { encoding: 'utf8' });
    assert.equal(report.status, 0, report.stdout + report.stderr);
    const total = PUBLISHERS * MESSAGES;
    assert.match(
      report.stdout,
      new RegExp(
        `${total.toLocaleString('en-US')} published, ${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} expected deliveries received: 0 undelivered`,
      ),
    );
    // The merge is exact: the fleet's total is the sum of the ten instances' own.
    const perInstance = readdirSync(join(dir, 'clients'))
      .filter((f) => /^client-\d+\.log$/.test(f))
      .map((f) => {
        const log = readFileSync(join(dir, 'clients', f), 'utf8');
        return Number((/Total messages: ([\d,]+)/.exec(log.slice(log.lastIndexOf('Summary: whole run')))?.[1] ?? 'NaN').replace(/,/g, ''));
      });
    assert.equal(perInstance.length, CLIENTS);
    assert.equal(
      perInstance.reduce((a, b) => a + b, 0),
      total,
    );
    assert.match(report.stdout, new RegExp(`Total messages: ${total.toLocaleString('en-US')}\\b`));
    // Every box's clock offset against the server, measured and shown.
    for (let k = 1; k <= CLIENTS; k++) assert.match(logOf('client', k), /Clock offset: [-+]?[\d.,]+ ms/, `box ${k}`);
  } finally {
    server.kill('SIGKILL');
    // Whatever failed, nothing the fleet started outlives the test (processes in a namespace survive its removal).
    spawnSync('pkill', ['-KILL', '-f', '--server-addresses 10.77.0.1:8800']);
    spawnSync(process.execPath, [join(root, 'tools/dev/boxes.mjs'), 'down', '--dir', dir]);
  }
});
