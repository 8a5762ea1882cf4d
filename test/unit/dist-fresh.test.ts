import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { ACTIONS } from '../../scripts/actions.mjs';
import { bundledFiles, MANIFEST, packageDir, staleness } from '../../scripts/dist-manifest.mjs';

/**
 * A source change committed without its rebuilt bundle must never land. Each bundle's build-inputs.json records what
 * it was built from (scripts/dist-manifest.mjs); these tests hold the committed bundles to it, and show that the check
 * sees each way a bundle goes stale. The rebuild-and-compare (`npm run build` then `git diff dist/`) runs in CI's
 * `dist` job: it also proves the build deterministic, which this check relies on.
 */
describe.each(ACTIONS)('dist/%s', (action) => {
  test('is what its sources, packages and build settings build to today (if not: npm run build, commit dist/)', () => {
    expect(staleness(REPO_ROOT, action)).toEqual([]);
  });
});

describe('the staleness check', () => {
  let root: string;
  const action = 'rollback';
  const edit = (path: string, change: (text: string) => string) =>
    writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')));

  // A copy of the repository's build inputs for one bundle, sharing node_modules (read, never written).
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dist-fresh-'));
    for (const path of ['actions', 'lib', 'scripts', 'package.json', 'tsconfig.json', `dist/${action}`])
      cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('finds nothing in an unchanged copy', () => {
    expect(staleness(root, action)).toEqual([]);
  });

  test('names a bundled source changed since the build', () => {
    edit('lib/runner/time.ts', (text) => `${text}\nexport const changed = 1;\n`);
    expect(staleness(root, action)).toEqual([`dist/${action}: source lib/runner/time.ts changed since the build`]);
  });

  test('names a bundled source removed since the build', () => {
    rmSync(join(root, 'actions', action, 'summary.ts'));
    expect(staleness(root, action)).toEqual([
      `dist/${action}: source actions/${action}/summary.ts is gone since the build`,
    ]);
  });

  test('names a bundled package whose version or files differ from the build', () => {
    edit(`dist/${action}/${MANIFEST}`, (text) => {
      const manifest = JSON.parse(text);
      manifest.packages['node_modules/@actions/core'].version = '0.0.1';
      return JSON.stringify(manifest);
    });
    expect(staleness(root, action)).toEqual([
      `dist/${action}: package node_modules/@actions/core changed since the build`,
    ]);
  });

  test('names a build setting changed since the build', () => {
    edit('tsconfig.json', (text) => text.replace('"ES2023"', '"ES2022"'));
    expect(staleness(root, action)).toEqual([`dist/${action}: build setting tsconfig.json changed since the build`]);
  });

  test('names a bundle file edited by hand, added or missing', () => {
    edit(`dist/${action}/index.js`, (text) => `${text};`);
    writeFileSync(join(root, 'dist', action, 'extra.js'), '');
    rmSync(join(root, 'dist', action, 'licenses.txt'));
    expect(staleness(root, action).sort()).toEqual([
      `dist/${action}: bundle file extra.js is new since the build`,
      `dist/${action}: bundle file index.js changed since the build`,
      `dist/${action}: bundle file licenses.txt is gone since the build`,
    ]);
  });

  test('says when a bundle has no record of its build', () => {
    rmSync(join(root, 'dist', action, MANIFEST));
    expect(staleness(root, action)).toEqual([
      `dist/${action} has no ${MANIFEST}: it was not built by scripts/build.mjs`,
    ]);
  });
});

describe('reading what webpack bundled', () => {
  test('takes the resource after the loaders, inside concatenated modules, and only files of the repository', () => {
    const stats = {
      modules: [
        { identifier: `${REPO_ROOT}/node_modules/x/loader.js!${REPO_ROOT}/lib/runner/time.ts` },
        { identifier: 'external node-commonjs "fs"' },
        { identifier: 'webpack/runtime/ensure chunk' },
        {
          identifier: `${REPO_ROOT}/actions/rollback/index.ts|concatenated`,
          modules: [{ identifier: `${REPO_ROOT}/node_modules/@actions/core/lib/core.js?query` }],
        },
      ],
    };
    expect(bundledFiles(stats, REPO_ROOT)).toEqual([
      'actions/rollback/index.ts',
      'lib/runner/time.ts',
      'node_modules/@actions/core/lib/core.js',
    ]);
  });

  test.each([
    ['node_modules/@aws-sdk/client-ecs/dist-cjs/index.js', 'node_modules/@aws-sdk/client-ecs'],
    ['node_modules/a/node_modules/b/lib/x.js', 'node_modules/a/node_modules/b'],
    ['node_modules/tunnel/index.js', 'node_modules/tunnel'],
    ['lib/runner/time.ts', undefined],
  ])('%s belongs to package %s', (path, dir) => {
    expect(packageDir(path)).toBe(dir);
  });
});
