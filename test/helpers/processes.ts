import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export type Tool = 'server' | 'client' | 'publisher';

export function binPath(tool: Tool): string {
  return join(root, 'packages', tool, 'bin', `mdbench-${tool}.js`);
}

/** A tool started as a real process, with its output collected. */
export class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;

  constructor(tool: Tool, args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [binPath(tool), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    this.child.stdout?.on('data', (d) => (this.stdout += d));
    this.child.stderr?.on('data', (d) => (this.stderr += d));
    this.exited = once(this.child, 'exit').then(([code, signal]) => (code ?? (signal ? 128 : 1)) as number);
  }

  /** Resolves with the first match of `re` in stdout. */
  async waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.stdout);
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`process exited (${this.child.exitCode}) before ${re}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}:\n${this.stdout}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}

/** Runs a tool to completion. */
export async function run(tool: Tool, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = new Proc(tool, args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

export interface Server {
  proc: Proc;
  port: number;
  monitorPort: number;
  stop(): Promise<number>;
  get<T>(path: string): Promise<T>;
}

/** Starts the reference server on a free port and reads the port back. */
export async function startServer(args: string[] = []): Promise<Server> {
  const proc = new Proc('server', ['--listen', '127.0.0.1:0', '--interval', '60', ...args]);
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
    async get<T>(path: string) {
      const res = await fetch(`http://127.0.0.1:${monitorPort}${path}`);
      return (await res.json()) as T;
    },
  };
}

/** Records of a JSON-lines file. */
export function jsonLines(text: string): Record<string, any>[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}
