// Draws the import graph of actions/ and lib/ (dependency-cruiser, mermaid) into docs/module-graph.mmd.
// Usage: node scripts/module-graph.mjs [--check]   --check: fail when the committed graph is not the current one.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const FILE = 'docs/module-graph.mmd';
const graph = execFileSync(
  process.execPath,
  [
    'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
    'actions',
    'lib',
    '--config',
    '.dependency-cruiser.cjs',
    '--include-only',
    '^(actions|lib)/',
    '--output-type',
    'mermaid',
  ],
  { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
);

if (process.argv.includes('--check')) {
  const committed = readFileSync(FILE, 'utf8');
  if (committed !== graph) {
    console.error(`${FILE} is not the current module graph: run 'node scripts/module-graph.mjs' and commit it`);
    process.exit(1);
  }
} else {
  writeFileSync(FILE, graph);
}
