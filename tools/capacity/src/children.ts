import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MdbenchError } from '@mdbench/core/internal';

const require = createRequire(import.meta.url);
/** The bin of a tool package this one depends on. */
export const binOf = (pkg: string, bin: string) => path.join(path.dirname(require.resolve(pkg)), '..', 'bin', bin);

/** A tool started as a child process. */
export type ChildTool = { child: ChildProcess; out: () => string; exited: Promise<number> };

/** A child tool whose output is kept (its last lines explain a failure). */
export function start(bin: string, args: string[], secrets: Record<string, string>): ChildTool {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...secrets, NO_COLOR: '1' } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = once(child, 'exit').then(([code]) => (code as number | null) ?? 1);
  return { child, out: () => out, exited };
}

/** Waits for the client's ramp: the Connected line, or its exit (one line with its reason). */
export async function ramp(client: ChildTool, timeoutMs: number): Promise<{ open: number; subscribed: number; failed: number }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = /Connected: ([\d,]+) open, ([\d,]+) subscribed, ([\d,]+) failed/.exec(client.out());
    if (m) return { open: Number(m[1].replace(/,/g, '')), subscribed: Number(m[2].replace(/,/g, '')), failed: Number(m[3].replace(/,/g, '')) };
    if (client.child.exitCode !== null) {
      const why =
        client
          .out()
          .trim()
          .split('\n')
          .filter((l) => /error:/.test(l))[0] ?? client.out().trim().split('\n').at(-1);
      throw new MdbenchError('MDB_UNREACHABLE', `the client stopped before it was connected: ${why?.replace(/^mdbench-client: error: /, '')}`);
    }
    if (Date.now() > end) return { open: 0, subscribed: 0, failed: 0 };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a child tool (its summary written) and waits for it. */
export async function stopTool(tool: ChildTool): Promise<void> {
  tool.child.kill('SIGINT');
  await tool.exited;
}

/** The records of a JSON-lines file (none when it is not there). */
export function records<T>(file: string): T[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}
