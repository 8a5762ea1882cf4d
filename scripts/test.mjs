// `npm test`: the static checks (typecheck, ESLint, Prettier, dependency-cruiser, actionlint) one after another, side by
// side with Jest. On a 2-core machine Jest leaves gaps while its tests wait on the sandbox; the checks fill them instead
// of taking a minute of their own first. Jest prints as it goes; the checks' output follows it, and every failure is
// named at the end.
import { spawn } from 'node:child_process';

const CHECKS = ['typecheck', 'lint', 'test:workflows'];

function run(script, stdio) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('npm', ['run', '-s', script], { stdio: ['ignore', stdio, stdio] });
    if (stdio === 'pipe') for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => (output += d));
    child.on('close', (code, signal) =>
      resolve({ script, ok: code === 0, output, why: signal ?? `exit code ${code}` }),
    );
  });
}

async function checks() {
  const results = [];
  for (const script of CHECKS) results.push(await run(script, 'pipe'));
  return results;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const [checked, jest] = await Promise.all([checks(), run('test:jest', 'inherit')]);
for (const { script, ok, output } of checked) {
  console.log(`\n== npm run ${script}: ${ok ? 'passed' : 'FAILED'}`);
  if (output.trim()) console.log(output.trimEnd());
}
const failed = [...checked, jest].filter((r) => !r.ok);
console.log(
  failed.length ? `\nFailed: ${failed.map((r) => `${r.script} (${r.why})`).join(', ')}` : '\nAll checks passed',
);
process.exit(failed.length ? 1 : 0);
