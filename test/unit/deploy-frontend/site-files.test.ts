import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFile, excludeRules, makeExcluder, scanSite } from '../../../actions/deploy-frontend/site-files.js';

let root: string;
let outside: string;

function file(path: string, body = 'x'): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), body);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'site-files-'));
  outside = mkdtempSync(join(tmpdir(), 'site-outside-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('excludes', () => {
  it('drops .git, .github, node_modules and dotfiles by default, and re-includes with !GLOB', () => {
    const excluder = makeExcluder(excludeRules(['*.map', '!.well-known/**']));
    expect(excluder.file('.git/HEAD')).toBe(true);
    expect(excluder.file('.github/workflows/x.yml')).toBe(true);
    expect(excluder.file('node_modules/a/index.js')).toBe(true);
    expect(excluder.file('a/.DS_Store')).toBe(true);
    expect(excluder.file('js/app.js.map')).toBe(true);
    expect(excluder.file('.well-known/security.txt')).toBe(false);
    expect(excluder.file('js/app.js')).toBe(false);
    expect(excluder.folder('.git')).toBe(true);
    expect(excluder.folder('.well-known')).toBe(false);
    expect(excluder.folder('js')).toBe(false);
  });

  it('does not skip a folder whose direct files alone are excluded', () => {
    const excluder = makeExcluder(excludeRules(['drafts/*']));
    expect(excluder.file('drafts/a.html')).toBe(true);
    expect(excluder.folder('drafts')).toBe(false);
    expect(excluder.file('drafts/keep/b.html')).toBe(false);
  });
});

describe('scanSite', () => {
  const defaults = makeExcluder(excludeRules([]));

  it('lists files as sorted /-keys, NFC-normalised, without excluded ones', async () => {
    file('index.html');
    file('css/main.css');
    file('.env', 'SECRET=1');
    file('.git/config');
    file('docs/cafe\u0301.html');
    const scan = await scanSite(root, defaults);
    expect(scan.files.map((f) => f.path)).toEqual(['css/main.css', 'docs/caf\u00e9.html', 'index.html']);
    expect(scan.files[0]?.size).toBe(1);
    expect(scan.excluded).toBe(1);
  });

  it('follows symlinks inside the source but never out of it', async () => {
    file('robots.txt');
    writeFileSync(join(outside, 'secret'), 'nope');
    symlinkSync(join(outside, 'secret'), join(root, 'secret.txt'));
    symlinkSync(outside, join(root, 'out'));
    symlinkSync(join(root, 'robots.txt'), join(root, 'robots2.txt'));
    symlinkSync(join(root, 'missing'), join(root, 'broken.txt'));
    const scan = await scanSite(root, defaults);
    expect(scan.files.map((f) => f.path)).toEqual(['robots.txt', 'robots2.txt']);
    expect(scan.skipped).toEqual([
      { path: 'broken.txt', reason: 'broken symlink' },
      { path: 'out', reason: 'symlink pointing outside the source folder' },
      { path: 'secret.txt', reason: 'symlink pointing outside the source folder' },
    ]);
  });

  it('survives a symlink loop', async () => {
    file('a/index.html');
    symlinkSync(join(root, 'a'), join(root, 'a', 'again'));
    const scan = await scanSite(root, defaults);
    expect(scan.files.map((f) => f.path)).toEqual(['a/index.html']);
    expect(scan.skipped).toEqual([{ path: 'a/again', reason: 'symlink loop' }]);
  });

  it('refuses a missing source, a file, and a folder with nothing to publish, naming the input', async () => {
    await expect(scanSite(join(root, 'nope'), defaults)).rejects.toThrow(
      /^Input 'source' must be an existing folder, got '.*nope' \(not found\)$/,
    );
    file('only.txt');
    await expect(scanSite(join(root, 'only.txt'), defaults)).rejects.toThrow(/^Input 'source' must be a folder/);
    rmSync(join(root, 'only.txt'));
    file('.hidden');
    await expect(scanSite(root, defaults)).rejects.toThrow(/has no files to publish \(1 excluded\)$/);
  });
});

it('hashes a file as MD5 or SHA-256 hex', async () => {
  file('a.txt', 'hello');
  const path = join(root, 'a.txt');
  expect(await hashFile(path, 'md5', 5)).toBe('5d41402abc4b2a76b9719d911017c592');
  expect(await hashFile(path, 'sha256', 5)).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
});

describe('include (an allow-list)', () => {
  it('publishes only matching files, exclude still applying, and skips folders no glob can reach', () => {
    const excluder = makeExcluder(excludeRules(['img/product/**']), ['index.html', 'about', 'js/**', 'img/**']);
    expect(excluder.only).toEqual(['index.html', 'about', 'js/**', 'img/**']);
    expect(excluder.file('index.html')).toBe(false);
    expect(excluder.file('about')).toBe(false);
    expect(excluder.file('js/utilities/a-0.0.1.js')).toBe(false);
    expect(excluder.file('img/product/a.jpg')).toBe(true);
    expect(excluder.file('README.md')).toBe(true);
    expect(excluder.file('unittests/index_tests.html')).toBe(true);
    expect(excluder.file('.github/workflows/x.yml')).toBe(true);
    const anchored = makeExcluder(excludeRules([]), ['js/**', 'account/**']);
    expect(anchored.folder('unittests')).toBe(true);
    expect(anchored.folder('js')).toBe(false);
    expect(anchored.folder('account')).toBe(false);
  });

  it('names the include input when one of its globs is invalid', () => {
    expect(() => makeExcluder(excludeRules([]), ['js/{a'])).toThrow(
      /^Input 'include' has an invalid pattern 'js\/\{a'/,
    );
  });
});
