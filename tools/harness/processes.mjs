// The one process harness of the tests and the benchmarks: start the built tools as real processes
// on loopback, read their output, find ports, walk and signal process trees.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const BINS = {
  server: 'packages/server/bin/mdbench-server.js',
  client: 'packages/client/bin/mdbench-client.js',
  publisher: 'packages/publisher/bin/mdbench-publisher.js',
  report: 'tools/report/bin/mdbench-report.js',
};

export function binPath(tool) {
  return join(root, BINS[tool]);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every process started here is ended with this one, so a failed test leaves nothing running.
const live = new Set();
process.on('exit', () => {
  for (const c of live) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      try {
        c.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
});

// A test file ended by a signal (the runner's timeout) kills its children too, through the exit handler.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.once(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15)));

/** Tracks a child so that it is killed (with its process group) when this process exits. */
export function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** A tool started as a real process, its output collected (and stderr echoed with `echo`). */
export class Proc {
  constructor(tool, args, { env = {}, echo = false } = {}) {
    this.tool = tool;
    this.stdout = '';
    this.stderr = '';
    this.child = track(
      spawn(process.execPath, [binPath(tool), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env }, detached: true }),
    );
    this.child.stdout.on('data', (d) => (this.stdout += d));
    this.child.stderr.on('data', (d) => {
      this.stderr += d;
      if (echo) process.stderr.write(`[${tool}] ${d}`);
    });
    // 'exit' can come before the last of the output is read: wait for both pipes to end too (a while
    // at most: a worker that outlived its parent may hold them open).
    const ended = (s) => (s.readableEnded ? Promise.resolve() : once(s, 'end').catch(() => {}));
    const drained = Promise.all([ended(this.child.stdout), ended(this.child.stderr)]);
    this.exited = once(this.child, 'exit').then(async ([code, signal]) => {
      await Promise.race([drained, sleep(2_000)]);
      return code ?? (signal ? 128 : 1);
    });
  }

  /** The first match of `re` in stdout, waiting up to `timeoutMs`. */
  async waitFor(re, timeoutMs = 30_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.stdout);
      if (m) return m;
      if (this.child.exitCode !== null)
        throw new Error(`${this.tool} exited (${this.child.exitCode}) before ${re}:\n${this.stdout.slice(-3000)}\n${this.stderr.slice(-3000)}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${re} from ${this.tool}:\n${this.stdout.slice(-3000)}\n${this.stderr.slice(-3000)}`);
      await sleep(20);
    }
  }

  kill(signal = 'SIGTERM') {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}

/** Runs a tool to completion. */
export async function run(tool, args, env = {}) {
  const p = new Proc(tool, args, { env });
  const code = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Starts the reference server (port 0 unless `--listen` is given) and reads its ports back. */
export async function startServer(args = [], opts = {}) {
  const proc = new Proc('server', ['--listen', '127.0.0.1:0', '--interval', '3600', ...args], opts);
  const port = Number((await proc.waitFor(/Listening: [\d.]+:(\d+)/))[1]);
  const monitorPort = Number((await proc.waitFor(/Monitor: http:\/\/[\d.]+:(\d+)/))[1]);
  return {
    proc,
    port,
    monitorPort,
    async stop() {
      proc.kill('SIGINT');
      return proc.exited;
    },
    async get(path, headers = {}) {
      const res = await fetch(`http://127.0.0.1:${monitorPort}${path}`, { headers });
      return path === '/metrics' ? res.text() : res.json();
    },
  };
}

/**
 * A client that must connect and subscribe `clients` connections: waits for its Connected line (as
 * long as a busy machine needs, up to `timeoutMs`), then stops it with SIGINT. Never a fixed
 * `--duration`: on a loaded host the workers alone can take longer than a short run.
 */
export async function connects(args, clients, timeoutMs = 60_000) {
  const p = new Proc('client', [...args, '--clients', String(clients), '--duration', '0', '--interval', '1']);
  const n = clients.toLocaleString('en-US');
  try {
    await p.waitFor(new RegExp(`Connected: ${n} open, ${n} subscribed`), timeoutMs);
  } finally {
    p.kill('SIGINT');
  }
  const code = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Records of a JSON-lines text. */
export function jsonLines(text) {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The summary record of a JSON-lines file. */
export function summaryOf(file) {
  return jsonLines(readFileSync(file, 'utf8')).find((r) => r.type === 'summary');
}

/** A free TCP port on 127.0.0.1 (for a server that must come back on the same port). */
export async function freePort() {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = s.address().port;
  s.close();
  await once(s, 'close');
  return port;
}

/** A process and all its descendants, from /proc. */
export function processTree(pid) {
  let kids = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [pid];
  }
  return [pid, ...kids.flatMap(processTree)];
}

/** Open file descriptors of a process's descendants (a client's or server's workers), from /proc. */
export function descendantFds(pid) {
  return processTree(pid)
    .slice(1)
    .reduce((n, p) => n + readdirSync(`/proc/${p}/fd`).length, 0);
}

export function signalTree(pid, signal) {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Resident memory of a process in bytes (0 when gone). */
export function rssOf(pid) {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
}

/** Resident memory of a process tree in bytes. */
export function treeRss(pid) {
  return processTree(pid).reduce((a, p) => a + rssOf(p), 0);
}

/** Prints one benchmark figure per line: `name: value [unit]`. */
export function figure(name, value, unit = '') {
  const v = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(3)) : value;
  console.log(`${name}: ${v}${unit ? ` ${unit}` : ''}`);
}

/** The value of `--name` on the command line, or a default. */
export function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
