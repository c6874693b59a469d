// Shared by the benchmarks: start the built tools as processes on loopback and read their output.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
export const bin = (tool) => join(root, 'packages', tool, 'bin', `mdbench-${tool}.js`);

export function start(tool, args, { quiet = true } = {}) {
  const child = spawn(process.execPath, [bin(tool), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const p = { child, stdout: '', stderr: '', exited: once(child, 'exit').then(([c]) => c) };
  child.stdout.on('data', (d) => {
    p.stdout += d;
    if (!quiet) process.stderr.write(d);
  });
  child.stderr.on('data', (d) => {
    p.stderr += d;
    process.stderr.write(`[${tool}] ${d}`);
  });
  p.waitFor = async (re, ms = 600_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const m = re.exec(p.stdout);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`${tool} exited ${child.exitCode}:\n${p.stdout.slice(-2000)}\n${p.stderr.slice(-2000)}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return p;
}

export async function startServer(args = []) {
  const p = start('server', ['--listen', '127.0.0.1:0', '--interval', '3600', ...args]);
  const port = Number((await p.waitFor(/Listening: [\d.]+:(\d+)/))[1]);
  const monitor = Number((await p.waitFor(/Monitor: http:\/\/[\d.]+:(\d+)/))[1]);
  p.port = port;
  p.stats = async () => (await fetch(`http://127.0.0.1:${monitor}/stats`)).json();
  p.stop = async () => {
    p.child.kill('SIGINT');
    await p.exited;
  };
  return p;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Prints one figure per line: `name: value [unit]`. */
export function figure(name, value, unit = '') {
  const v = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(3)) : value;
  console.log(`${name}: ${v}${unit ? ` ${unit}` : ''}`);
}

export function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

export function jsonLines(text) {
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}
