// Fails when a function in packages/*/src or tools/*/src (tests apart) is longer than MAX_LINES:
// functions that fit on a screen, as in the code bases the house learns from (ws, nats.js). Exceptions are named below with the reason.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';

const MAX_LINES = 80;
/** Functions allowed past the limit: where splitting would hurt (a state machine read as one). */
const ALLOWED = new Map([]);

const files = execFileSync('git', ['ls-files', 'packages/*/src/**.ts', 'tools/*/src/**.ts'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && fs.existsSync(f));
const long = [];
for (const file of files) {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const from = src.getLineAndCharacterOfPosition(node.getStart()).line;
      const lines = src.getLineAndCharacterOfPosition(node.getEnd()).line - from + 1;
      const name = `${file}:${node.name?.getText() ?? '(anonymous)'}`;
      if (lines > MAX_LINES && !ALLOWED.has(name))
        long.push(`${file}:${from + 1}: ${node.name?.getText() ?? 'a function'} is ${lines} lines (at most ${MAX_LINES})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
}
for (const line of long) process.stderr.write(`${line}\n`);
process.stdout.write(`function-length: ${files.length} files, ${long.length} function(s) over ${MAX_LINES} lines\n`);
process.exitCode = long.length ? 1 : 0;
