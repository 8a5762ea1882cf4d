// What each committed bundle was built from, written by the build beside the bundle (dist/<action>/build-inputs.json),
// so that `npm test` can tell a stale dist/ without rebuilding it: a rebuild of the five bundles costs about four
// CPU-minutes, most of the suite's time on a 2-core machine. The build is deterministic (CI's `dist` job rebuilds and
// compares), so a bundle is stale exactly when one of its inputs changed: a source file it bundles, a package it
// bundles, the build (build.mjs, this file, tsconfig.json, the bundler and minifier versions), or the bundle itself.
// Files imported for their types alone are not inputs: they leave nothing in the bundle.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';

export const MANIFEST = 'build-inputs.json';

const sha = (data) => createHash('sha256').update(data).digest('hex');
const posix = (path) => path.split(sep).join('/');

/** The repository files (sources, and files of packages in node_modules) a webpack stats JSON says were bundled. */
export function bundledFiles(stats, root) {
  const files = new Set();
  const walk = (modules) => {
    for (const module of modules ?? []) {
      // `loader!loader!/abs/path/file.ts?query|layer`: the resource is the part after the last loader.
      const resource = module.identifier?.split('!').pop().split('|')[0].replace(/\?.*$/, '');
      if (resource && isAbsolute(resource) && existsSync(resource)) {
        const path = posix(relative(root, resource));
        if (!path.startsWith('..')) files.add(path);
      }
      walk(module.modules);
    }
  };
  walk(stats.modules);
  for (const child of stats.children ?? []) walk(child.modules);
  return [...files].sort();
}

/** `node_modules/a/node_modules/@b/c/lib/x.js` → `node_modules/a/node_modules/@b/c`; undefined outside node_modules. */
export function packageDir(path) {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = path.slice(at + 'node_modules/'.length).split('/');
  return path.slice(0, at) + 'node_modules/' + rest.slice(0, rest[0].startsWith('@') ? 2 : 1).join('/');
}

function toolchain(root) {
  const require = createRequire(join(root, 'package.json'));
  const version = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  const file = (path) => sha(readFileSync(join(root, path)));
  return {
    '@vercel/ncc': version('@vercel/ncc'),
    terser: version('terser'),
    'package.json type': JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).type ?? 'commonjs',
    'scripts/build.mjs': file('scripts/build.mjs'),
    'scripts/dist-manifest.mjs': file('scripts/dist-manifest.mjs'),
    'tsconfig.json': file('tsconfig.json'),
  };
}

/**
 * The repository's own bundled files by hash; each package by version, the files bundled from it (relative to the
 * package) and one hash of them.
 */
function inputs(root, files) {
  const sources = {};
  const packageFiles = new Map();
  for (const path of files) {
    const dir = packageDir(path);
    if (dir === undefined) sources[path] = sha(readFileSync(join(root, path)));
    else packageFiles.set(dir, [...(packageFiles.get(dir) ?? []), path.slice(dir.length + 1)]);
  }
  const packages = {};
  for (const [dir, paths] of [...packageFiles].sort(([a], [b]) => a.localeCompare(b))) {
    const manifest = join(root, dir, 'package.json');
    const { version } = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : {};
    const hash = createHash('sha256');
    for (const path of paths) hash.update(`${path}\0`).update(readFileSync(join(root, dir, path)));
    packages[dir] = { version, sha256: hash.digest('hex'), files: paths };
  }
  return { sources, packages };
}

/** Every file of a built bundle (the manifest aside) by hash. */
export function bundleHashes(dir) {
  const out = {};
  const walk = (sub) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (path !== MANIFEST) out[path] = sha(readFileSync(join(dir, path)));
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Writes `dir`/build-inputs.json for the bundle just built in `dir` from the files `stats` lists. */
export function writeManifest(root, dir, stats) {
  const manifest = {
    toolchain: toolchain(root),
    ...inputs(root, bundledFiles(stats, root)),
    bundle: bundleHashes(dir),
  };
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Why dist/<action> is not what the sources build to today, one reason a line (none: it is). Reads only what the
 * manifest names, so it costs milliseconds.
 */
export function staleness(root, action, distDir = join(root, 'dist')) {
  const dir = join(distDir, action);
  const at = `dist/${action}`;
  if (!existsSync(join(dir, MANIFEST))) return [`${at} has no ${MANIFEST}: it was not built by scripts/build.mjs`];
  const built = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  const reasons = [];
  const compare = (what, before, after) => {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const [was, is] = [JSON.stringify(before[key]), JSON.stringify(after[key])];
      if (was === is) continue;
      if (was === undefined) reasons.push(`${at}: ${what} ${key} is new since the build`);
      else if (is === undefined) reasons.push(`${at}: ${what} ${key} is gone since the build`);
      else reasons.push(`${at}: ${what} ${key} changed since the build`);
    }
  };
  compare('build setting', built.toolchain, toolchain(root));
  const listed = [
    ...Object.keys(built.sources),
    ...Object.entries(built.packages).flatMap(([dir, { files }]) => files.map((path) => `${dir}/${path}`)),
  ];
  const now = inputs(
    root,
    listed.filter((path) => existsSync(join(root, path))),
  );
  compare('source', built.sources, now.sources);
  compare('package', built.packages, now.packages);
  compare('bundle file', built.bundle, bundleHashes(dir));
  return reasons;
}
