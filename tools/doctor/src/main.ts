import { processIo } from '@mdbench/core/internal';
import { runDoctor } from './command.js';

// Process I/O is built here and passed in, as every mdbench command's is.
runDoctor(processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`mdbench-doctor: internal error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 70;
  },
);
