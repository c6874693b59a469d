#!/usr/bin/env node
// Writes the generated parts of README.md (each tool's option table, the exit codes) and
// docs/errors.md from the option and error tables in the code, between their markers. With
// --check, writes nothing and exits 1 when a file differs from what the tables say (the test
// suite runs it). Needs the packages built (tsc -b).
import { readFileSync, writeFileSync } from 'node:fs';
import { errorCodesMarkdown, exitCodesMarkdown, optionsMarkdown } from '@mdbench/core/internal';
import { clientCommand } from '@mdbench/client';
import { publisherCommand } from '@mdbench/publisher';
import { serverCommand } from '@mdbench/server';
import { reportCommand } from '@mdbench/report';
import { capacityCommand } from '@mdbench/capacity';
import { doctorSpecs } from '@mdbench/doctor';

const root = new URL('../..', import.meta.url).pathname;
const sections = {
  'options:mdbench-client': optionsMarkdown(clientCommand.specs),
  'options:mdbench-publisher': optionsMarkdown(publisherCommand.specs),
  'options:mdbench-server': optionsMarkdown(serverCommand.specs),
  'options:mdbench-report': optionsMarkdown(reportCommand.specs),
  'options:mdbench-capacity': optionsMarkdown(capacityCommand.specs),
  'options:mdbench-doctor': optionsMarkdown(doctorSpecs),
  'exit-codes': exitCodesMarkdown(),
  'error-codes': errorCodesMarkdown(),
};

/** Replaces every `<!-- generated:NAME -->` ... `<!-- /generated -->` block of `text`. */
function fill(text, file) {
  return text.replace(/<!-- generated:([\w:-]+) -->\n[\s\S]*?<!-- \/generated -->/g, (_, name) => {
    if (!(name in sections)) throw new Error(`${file}: no generated section named ${name}`);
    return `<!-- generated:${name} -->\n${sections[name]}\n<!-- /generated -->`;
  });
}

const check = process.argv.includes('--check');
let stale = 0;
for (const rel of ['README.md', 'docs/errors.md']) {
  const path = root + rel;
  const text = readFileSync(path, 'utf8');
  const next = fill(text, rel);
  if (next === text) continue;
  if (check) {
    console.error(`${rel} differs from the option and error tables: run node tools/dev/gen-docs.mjs`);
    stale++;
  } else {
    writeFileSync(path, next);
    console.log(`wrote ${rel}`);
  }
}
process.exit(stale ? 1 : 0);
