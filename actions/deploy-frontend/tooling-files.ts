/**
 * Files that look like the repository's tooling rather than the site: package manifests and lockfiles, READMEs and
 * licences, linter/test/build configuration, test folders, CI definitions. Used only to warn when no `include` list
 * says what the site is; nothing is left out on this guess.
 */

const TOOLING_NAMES = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'bun.lock',
  'bun.lockb',
  'deno.json',
  'deno.lock',
  'composer.json',
  'composer.lock',
  'gemfile',
  'gemfile.lock',
  'pipfile',
  'pipfile.lock',
  'pyproject.toml',
  'requirements.txt',
  'makefile',
  'dockerfile',
  'docker-compose.yml',
  'docker-compose.yaml',
  'appspec.yml',
  'netlify.toml',
  'vercel.json',
  'codeowners',
]);

/** README.md, LICENSE, LICENCE.txt, CHANGELOG, CONTRIBUTING.md, COPYING… */
const DOCUMENT =
  /^(readme|licen[cs]e|copying|changelog|changes|contributing|code_of_conduct|security|authors)(\.[a-z]+)?$/i;

/** eslint.config.js, playwright.config.ts, jest.config.cjs, tsconfig.json, karma.conf.js, buildspec_prod_deploy.yml… */
const CONFIG =
  /^(?:(?:eslint|prettier|stylelint|playwright|jest|vitest|vite|webpack|rollup|babel|postcss|tailwind|karma|cypress|svelte|astro|next|nuxt|commitlint|lint-staged|renovate)\.(?:config|conf)(?:\.[\w-]+)?\.(?:js|cjs|mjs|ts|cts|mts|json|ya?ml)|tsconfig(?:\.[\w-]+)?\.json|jsconfig\.json|buildspec[\w.-]*\.ya?ml|[\w.-]+\.(?:test|spec)\.(?:js|cjs|mjs|ts|jsx|tsx))$/i;

/** Folders of tests, CI and dependencies, at any depth. */
const TOOLING_FOLDERS = new Set([
  'test',
  'tests',
  '__tests__',
  'unittests',
  'unit-tests',
  'playwright-tests',
  'playwright-report',
  'test-results',
  'e2e',
  'cypress',
  'coverage',
  'node_modules',
  '.github',
  '.circleci',
  '.husky',
]);

/** The folder of `path` that marks it as tooling (e.g. `unittests`), or undefined. */
function toolingFolder(path: string): string | undefined {
  const segments = path.split('/');
  const index = segments.slice(0, -1).findIndex((segment) => TOOLING_FOLDERS.has(segment.toLowerCase()));
  return index < 0 ? undefined : segments.slice(0, index + 1).join('/');
}

export function looksLikeTooling(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    toolingFolder(path) !== undefined ||
    TOOLING_NAMES.has(name.toLowerCase()) ||
    DOCUMENT.test(name) ||
    CONFIG.test(name)
  );
}

/**
 * `exclude` lines that would leave these paths out: one `folder/**` per tooling folder, the path itself for the rest
 * (sorted, no duplicates).
 */
export function excludeLinesFor(paths: string[]): string[] {
  const lines = new Set<string>();
  for (const path of paths) {
    const folder = toolingFolder(path);
    lines.add(folder === undefined ? path : `${folder}/**`);
  }
  return [...lines].sort();
}

/** The one warning naming every tooling-looking file and the inputs that would leave them out. */
export function toolingWarning(paths: string[]): string | undefined {
  if (paths.length === 0) return undefined;
  const lines = excludeLinesFor(paths);
  return (
    `${paths.length} file(s) look like repository tooling, not site, and will be published: ${paths.join(', ')}. ` +
    `List the site's files in the 'include' input, or leave these out with 'exclude': ${lines.join(', ')}`
  );
}
