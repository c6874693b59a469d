// A broker's process for the tests and benchmarks: started from its argv in a process group of its
// own, ready when its port accepts connections (asked, never slept on), killed (SIGKILL, the whole
// group and anything that left it) and started again on the same ports; and the small host chores
// around it (the program installed, files given to the broker's user).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { sleep, track } from './processes.mjs';

/** Waits until a TCP port accepts connections. */
async function waitForPort(port, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`${what} did not open port ${port} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Fails with the command that installs a broker when its program is missing (a test needing it must fail, not skip). */
export function requireProgram(program, pkg) {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${program} is not installed: apt-get install -y ${pkg} (.ci/run installs it)`);
  return r.stdout.trim();
}

/** Makes `paths` belong to `user` when we are root (a broker that drops to its own user must read them). */
export function giveTo(user, ...paths) {
  if (process.getuid?.() !== 0) return;
  const id = (flag) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) return;
  for (const p of paths) chownSync(p, uid, gid);
}

/** SIGKILLs every process whose environment holds `marker` (RabbitMQ's node name reaches beam through it). */
function killMarked(marker) {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone, or not ours to read */
    }
  }
}

const marked = new Set();
process.on('exit', () => {
  for (const m of marked) killMarked(m);
});

export class Broker {
  /** `marker`: a string in the command line of every process of this broker (RabbitMQ's node name), for processes that leave the group. */
  constructor(name, wsPort, argv, env, marker) {
    this.name = name;
    this.wsPort = wsPort;
    this.argv = argv;
    this.env = env;
    this.marker = marker;
    if (marker) marked.add(marker);
    this.child = null;
    this.log = '';
  }

  async start(readyPort = this.wsPort, timeoutMs = 30_000) {
    this.child = track(spawn(this.argv[0], this.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.env }, detached: true }));
    this.child.stdout.on('data', (d) => (this.log += d));
    this.child.stderr.on('data', (d) => (this.log += d));
    const exited = new Promise((r) => this.child.once('exit', r));
    await Promise.race([
      waitForPort(readyPort, timeoutMs, this.name),
      exited.then((c) => Promise.reject(new Error(`${this.name} exited (${c}):\n${this.log.slice(-2000)}`))),
    ]);
    return this;
  }

  /** The process group's pid (the broker and what it started). */
  get pid() {
    return this.child?.pid;
  }

  /** SIGKILL to the whole process group; resolves once it is gone. */
  async kill() {
    const c = this.child;
    if (this.marker) killMarked(this.marker);
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      c.kill('SIGKILL');
    }
    await gone;
    if (this.marker) killMarked(this.marker);
  }

  async stop() {
    await this.kill();
  }
}
