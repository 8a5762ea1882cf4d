// Bundles each action with ncc into <out>/<action>/index.js. Usage: node scripts/build.mjs [--out DIR] [action ...]
// A bundle is replaced only when its build succeeded, so a failed build never leaves an action without one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { ACTIONS } from './actions.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args.splice(outIndex, 2)[1] : 'dist';
const chosen = args.length > 0 ? args : ACTIONS;

for (const action of chosen) {
  if (!ACTIONS.includes(action)) throw new Error(`Unknown action '${action}': expected one of ${ACTIONS.join(', ')}`);
}
mkdirSync(out, { recursive: true });
for (const action of chosen) {
  const staging = mkdtempSync(join(out, `.${action}-`));
  try {
    execFileSync(
      process.execPath,
      [
        'node_modules/@vercel/ncc/dist/ncc/cli.js',
        'build',
        `actions/${action}/index.ts`,
        '-o',
        staging,
        '--minify',
        '--quiet',
        '--license',
        'licenses.txt',
        '--target',
        'es2022',
      ],
      { stdio: 'inherit' },
    );
    await minifyChunks(staging);
    rmSync(join(out, action), { recursive: true, force: true });
    renameSync(staging, join(out, action));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

// ncc minifies the entry file only; the chunks it splits off at dynamic imports (the AWS SDK, loaded once the
// inputs are valid) come out readable and twice the size.
async function minifyChunks(dir) {
  for (const file of readdirSync(dir).filter((name) => /^\d+\.index\.js$/.test(name))) {
    const path = join(dir, file);
    const { code } = await minify(readFileSync(path, 'utf8'), { module: true, compress: true, mangle: true });
    writeFileSync(path, code);
  }
}
