import ora from 'ora';

/**
 * A progress spinner on the terminal's stderr, or null when stderr is not a terminal with a known
 * width (ora's line accounting needs the column count; a pseudo-terminal may report 0).
 */
export function startSpinner(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {
  if (!stream.isTTY || !(Number(stream.columns) > 0)) return null;
  const s = ora({ stream: stream as NodeJS.WriteStream, text: 'connecting' }).start();
  return {
    update: (text: string) => {
      if (s.isSpinning) s.text = text;
    },
    clear: () => {
      if (s.isSpinning) s.clear();
    },
    stop: () => {
      if (s.isSpinning) s.stop();
    },
  };
}
