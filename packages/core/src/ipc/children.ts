import { fork, type ChildProcess } from 'node:child_process';

/**
 * The start of every worker's IPC: the worker says `hello` once it listens (an ES module loads
 * asynchronously, and a message that arrives before the listener is lost), the parent answers with
 * its configuration, which the worker validates (ipc/worker-side.ts).
 */
interface InitMessage<C> {
  type: 'init';
  config: C;
}

/** Answers a worker's hello with its configuration; call with every message the parent gets from it. */
export function answerHello<C>(msg: { type: string }, target: { send(m: unknown): unknown }, config: () => C): boolean {
  if (msg.type !== 'hello') return false;
  target.send({ type: 'init', config: config() } satisfies InitMessage<C>);
  return true;
}

/** Forks a worker process with an IPC channel; it gets its configuration when it says hello. */
export function forkWorker<C>(script: string, config: C, options: { execArgv: string[]; env: NodeJS.ProcessEnv }): ChildProcess {
  const child = fork(script, [], { env: options.env, execArgv: options.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', (msg: { type: string }) => answerHello(msg, child, () => config));
  return child;
}

/** The node flags a tool's workers get: a heap budget, and whatever MDBENCH_WORKER_NODE_ARGS adds (e.g. --cpu-prof). */
export function workerNodeArgs(env: Record<string, string | undefined>, extra: string[] = []): string[] {
  return [...extra, ...(env.MDBENCH_WORKER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [])];
}

/**
 * Waits for processes to exit (they do once their last report is sent) and SIGKILLs any still
 * running after `graceMs`.
 */
export async function awaitExit(children: readonly ChildProcess[], graceMs: number): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => {
            c.kill('SIGKILL');
            resolve();
          }, graceMs);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        }),
    ),
  );
}
