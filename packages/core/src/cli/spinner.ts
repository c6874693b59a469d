import ora from 'ora';

/** A live status line on a terminal. */
export interface Spinner {
  update(text: string): void;
  /** Clears the line so a log line can be written. */
  clear(): void;
  stop(): void;
}

/**
 * A spinner on the terminal's stderr, or null when stderr is not a terminal with a known width
 * (ora's line accounting needs the column count; a pseudo-terminal may report 0) or colour is off:
 * nothing of it reaches a pipe or a log file.
 */
export function startSpinner(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, text: string, enabled = true): Spinner | null {
  if (!enabled || !stream.isTTY || !(Number(stream.columns) > 0)) return null;
  const s = ora({ stream: stream as NodeJS.WriteStream, text }).start();
  return {
    update: (t: string) => {
      if (s.isSpinning) s.text = t;
    },
    clear: () => {
      if (s.isSpinning) s.clear();
    },
    stop: () => {
      if (s.isSpinning) s.stop();
    },
  };
}
