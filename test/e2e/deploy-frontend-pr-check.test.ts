import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { contentOf, TODAYS_INCLUDE, writeStartupWebAppSite } from '../support/startupwebapp-site.js';

/**
 * The pull-request check (issue 20): deploy-frontend with `check-against`, through the committed bundle, on two
 * checkouts of a site of the StartupWebApp client's shape. The environment holds no AWS region, endpoint or
 * credentials: a check that reached for AWS would fail.
 */

const HASHED = 'js/vendor.3f9a2c1b.js';
const temps: string[] = [];

/** A checkout of the client repository with a content-hashed bundle added; `edit` changes it as a commit would. */
function checkout(edit: (root: string) => void = () => {}): string {
  const root = mkdtempSync(join(tmpdir(), 'swa-pr-'));
  temps.push(root);
  writeStartupWebAppSite(root);
  writeFileSync(join(root, HASHED), '// vendor bundle, build 1\n'.repeat(200));
  edit(root);
  return root;
}

const editInPlace = (root: string) => {
  writeFileSync(join(root, 'js/cart-0.0.1.js'), contentOf('js/cart-0.0.1.js', 2));
  writeFileSync(join(root, 'css/main-0.0.2.css'), contentOf('css/main-0.0.2.css', 2));
  writeFileSync(join(root, 'cart'), contentOf('cart', 2));
};

function check(source: string, base: string, inputs: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle('deploy-frontend', {
    inputs: { source, 'check-against': base, include: TODAYS_INCLUDE.join('\n'), ...inputs },
    timeoutMs: 90_000,
  });
}

function expectSuccess(result: BundleResult) {
  if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

it('passes in-place edits of versioned names (js/cart-0.0.1.js) and a rebuilt bundle under a new hash, without AWS', async () => {
  const head = checkout((root) => {
    editInPlace(root);
    rmSync(join(root, HASHED));
    writeFileSync(join(root, 'js/vendor.9e8d7c6b.js'), '// vendor bundle, build 2\n'.repeat(200));
  });
  const result = await check(head, checkout());
  expectSuccess(result);
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.lines).toContain('No long-lived name changed content: the deploy will not refuse this change');
  expect(result.lines).toContain('Check only (check-against): nothing is deployed and no AWS call is made');
  expect(result.stdout).toMatch(/\+ js\/cart-0\.0\.1\.js \(content changed; [^)]*public, max-age=0, must-revalidate/);
  expect(result.stdout).toContain('- js/vendor.3f9a2c1b.js (not in this branch)');
  expect(result.summary).toContain('Frontend check: no long-lived name changed content');
  expect(result.summary).toContain('| `js/vendor.9e8d7c6b.js` | new | public, max-age=31536000, immutable |');
});

it('fails on changed content under a content-hashed name, naming the file and saying to rename it with a new hash', async () => {
  const head = checkout((root) => {
    editInPlace(root);
    writeFileSync(join(root, HASHED), '// vendor bundle, edited by hand\n'.repeat(200));
  });
  const result = await check(head, checkout());
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]?.title).toBe('Changed under a long-lived name');
  const message = result.errors[0]!.message;
  expect(message).toContain(HASHED);
  expect(message).not.toContain('cart-0.0.1.js');
  expect(message).toContain('The deploy would refuse them');
  expect(message).toContain('Rename each with a new content hash');
  expect(message).toContain('js/vendor.<new hash>.js');
  expect(message).not.toContain('\n');
  expect(result.summary).toContain('Frontend check: a long-lived name changed content');
});

it('warns instead with changed-immutable: warn, as the deploy would upload it', async () => {
  const head = checkout((root) => writeFileSync(join(root, HASHED), '// edited\n'.repeat(300)));
  const result = await check(head, checkout(), { 'changed-immutable': 'warn' });
  expectSuccess(result);
  expect(result.warnings.map((w) => w.title)).toEqual(['Changed under a long-lived name']);
  expect(result.warnings[0]?.message).toContain('may keep the old copy for up to 1 year');
});

it('applies the include list: a changed hashed file the deploy does not publish is not flagged', async () => {
  const head = checkout((root) => {
    mkdirSync(join(root, 'unittests/build'), { recursive: true });
    writeFileSync(join(root, 'unittests/build/report.3f9a2c1b.js'), 'v2');
  });
  const base = checkout((root) => {
    mkdirSync(join(root, 'unittests/build'), { recursive: true });
    writeFileSync(join(root, 'unittests/build/report.3f9a2c1b.js'), 'v1');
  });
  expectSuccess(await check(head, base));
});

it('passes against an empty base (the site’s first pull request), and names check-against when it is missing', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'swa-pr-empty-'));
  temps.push(empty);
  const first = await check(checkout(), empty);
  expectSuccess(first);
  expect(first.summary).toContain('| **New** | 83 |');

  const missing = await check(checkout(), join(empty, 'nope'));
  expect(missing.exitCode).toBe(1);
  expect(missing.errors.map((e) => e.message)).toEqual([
    `Input 'check-against' must be an existing folder, got '${join(empty, 'nope')}' (not found)`,
  ]);
});

it('with delete: true, fails when the change removes more published files than max-deletes, as the deploy would', async () => {
  const head = checkout((root) => {
    for (const page of ['about', 'ad', 'contact']) rmSync(join(root, page));
  });
  const refused = await check(head, checkout(), { delete: 'true', 'max-deletes': '2' });
  expect(refused.exitCode).toBe(1);
  expect(refused.errors.map((e) => e.title)).toEqual(['Too many deletions']);
  expect(refused.errors[0]?.message).toMatch(/^Input 'max-deletes' is 2 but this change removes 3 published file\(s\)/);
  expect(refused.summary).toContain('Frontend check: too many deletions');
  expectSuccess(await check(head, checkout(), { delete: 'true', 'max-deletes': '3' }));
  expectSuccess(await check(head, checkout(), { 'max-deletes': '2' }));
});
