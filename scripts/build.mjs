// Bundles each action with ncc into <out>/<action>/index.js, beside the record of what it was built from
// (build-inputs.json, see dist-manifest.mjs). Usage: node scripts/build.mjs [--out DIR] [action ...]
// Bundles build side by side, one per core. A bundle is replaced only when its build succeeded, so a failed build never
// leaves an action without one.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { minify } from 'terser';
import { ACTIONS } from './actions.mjs';
import { writeManifest } from './dist-manifest.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args.splice(outIndex, 2)[1] : 'dist';
const chosen = args.length > 0 ? args : ACTIONS;

for (const action of chosen) {
  if (!ACTIONS.includes(action)) throw new Error(`Unknown action '${action}': expected one of ${ACTIONS.join(', ')}`);
}
mkdirSync(out, { recursive: true });
const queue = [...chosen];
const failures = [];
await Promise.all(
  Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
    for (let action = queue.shift(); action; action = queue.shift()) {
      try {
        await build(action);
      } catch (error) {
        failures.push(action);
        console.error(`Build of ${action} failed:\n${error.stderr || error.message}`);
      }
    }
  }),
);
if (failures.length > 0) {
  console.error(`Not rebuilt: ${failures.join(', ')}`);
  process.exit(1);
}

async function build(action) {
  const staging = mkdtempSync(join(out, `.${action}-`));
  const statsDir = mkdtempSync(join(tmpdir(), `${action}-stats-`));
  try {
    await promisify(execFile)(
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
        '--stats-out',
        join(statsDir, 'stats.json'),
      ],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
    await minifyChunks(staging);
    writeManifest(ROOT, staging, JSON.parse(readFileSync(join(statsDir, 'stats.json'), 'utf8')));
    rmSync(join(out, action), { recursive: true, force: true });
    renameSync(staging, join(out, action));
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(statsDir, { recursive: true, force: true });
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
