// Bundles each action with ncc into <out>/<action>/index.js. Usage: node scripts/build.mjs [--out DIR] [action ...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const ACTIONS = ['run-migration', 'deploy-service', 'deploy-frontend', 'rollback'];

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args.splice(outIndex, 2)[1] : 'dist';
const chosen = args.length > 0 ? args : ACTIONS;

for (const action of chosen) {
  if (!ACTIONS.includes(action)) throw new Error(`Unknown action '${action}': expected one of ${ACTIONS.join(', ')}`);
  const target = join(out, action);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      `actions/${action}/index.ts`,
      '-o',
      target,
      '--minify',
      '--quiet',
      '--license',
      'licenses.txt',
      '--target',
      'es2022',
    ],
    { stdio: 'inherit' },
  );
}
