import { MdbenchError } from '../errors.js';

/** The worker's end of its IPC channel. */
export interface ParentLink<Up> {
  /** Sends a message to the parent; `done` runs once it has been handed to the channel. */
  send(message: Up, done?: () => void): void;
}

/**
 * The life of a worker process: it says hello, waits for its configuration (the parent's answer),
 * validates it, and starts. It ignores SIGINT and SIGTERM (Ctrl-C reaches the whole process group:
 * the parent decides when a worker stops, so its last counts are collected first), and exits when
 * the parent goes away.
 */
export function runWorker<C, Down extends { type: string }, Up>(
  parse: (raw: unknown) => C,
  start: (config: C, parent: ParentLink<Up>) => (message: Down) => void,
): void {
  const parent: ParentLink<Up> = { send: (m, done) => void process.send?.(m, undefined, {}, () => done?.()) };
  let handle: ((message: Down) => void) | null = null;
  process.on('message', (msg: { type: string; config?: unknown }) => {
    if (msg.type === 'init' && !handle) {
      try {
        handle = start(parse(msg.config), parent);
      } catch (err) {
        const line = err instanceof MdbenchError ? err.toLine() : String((err as Error).stack ?? err);
        process.stderr.write(`mdbench worker: ${line}\n`);
        process.exit(70);
      }
      return;
    }
    handle?.(msg as Down);
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  parent.send({ type: 'hello' } as Up);
}
