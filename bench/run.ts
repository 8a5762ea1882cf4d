import { benchColdStart } from './cold-start.js';
import { benchDeploy } from './deploy.js';
import { benchDeployServing } from './deploy-serving.js';
import { benchFrontend, benchFrontendStartupWebApp } from './frontend.js';
import { benchMigration } from './migration.js';
import { benchRollbackTraffic } from './rollback-traffic.js';
import { benchVerify } from './verify.js';
import type { BenchResult } from './types.js';

/** `npm run bench [name ...]`: runs the benchmarks against the sandbox and prints medians and ratios to baselines. */

const benches: Record<string, () => Promise<BenchResult>> = {
  'cold-start': benchColdStart,
  migration: benchMigration,
  deploy: benchDeploy,
  'deploy-serving': benchDeployServing,
  frontend: benchFrontend,
  'frontend-startupwebapp': benchFrontendStartupWebApp,
  'rollback-traffic': benchRollbackTraffic,
  verify: benchVerify,
};

const wanted = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
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
