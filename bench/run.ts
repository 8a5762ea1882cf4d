import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/support/run-bundle.js';
import { benchColdStart } from './cold-start.js';
import type { BenchResult } from './types.js';

/** `npm run bench [name ...]`: runs the benchmarks against the sandbox and prints medians and ratios to baselines. */

type Bench = () => Promise<BenchResult>;

async function optional(file: string, exported: string): Promise<Bench | undefined> {
  if (!existsSync(join(REPO_ROOT, 'bench', `${file}.ts`))) return undefined;
  const module = (await import(`./${file}.js`)) as Record<string, Bench>;
  return module[exported];
}

const benches: Record<string, Bench | undefined> = {
  'cold-start': benchColdStart,
  migration: await optional('migration', 'benchMigration'),
  deploy: await optional('deploy', 'benchDeploy'),
  frontend: await optional('frontend', 'benchFrontend'),
};

const wanted = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  if (!bench) continue;
  const result = await bench();
  console.log(render(result));
}

function render(result: BenchResult): string {
  const lines = [`### ${result.name}`, '', result.method, ''];
  lines.push('| metric | ours | baseline | ratio | goal |', '| --- | --- | --- | --- | --- |');
  const names = [...new Set(result.rows.map((row) => row.baselineName).filter(Boolean))] as string[];
  for (const row of result.rows) {
    const mark = row.baselineName ? ` [${names.indexOf(row.baselineName) + 1}]` : '';
    const baseline = row.baseline === undefined ? '' : `${row.baseline}${mark}`;
    const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`;
    const goal = row.goal ? `${row.goal}${row.met === undefined ? '' : row.met ? ' ✓' : ' ✗'}` : '';
    lines.push(`| ${row.metric} | ${row.ours} | ${baseline} | ${ratio} | ${goal} |`);
  }
  if (names.length > 0) lines.push('', ...names.map((name, index) => `[${index + 1}] ${name}`));
  return lines.join('\n') + '\n';
}
