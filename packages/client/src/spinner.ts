import ora from 'ora';

/** A progress spinner on the terminal's stderr (never used when output goes to a file or pipe). */
export function startSpinner(stream: NodeJS.WritableStream) {
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
