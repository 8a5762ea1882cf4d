import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { globToRegExp, literalPrefix } from './glob.js';
import { InputError } from '../../lib/runner/inputs.js';

/** The folder being published, as object keys: scanned without following symlinks out of it. */

const DEFAULT_EXCLUDES = ['.git/**', '.github/**', 'node_modules/**', '**/.*', '**/.*/**'];

export interface SiteFile {
  /** Path relative to the source, '/'-separated and NFC-normalised (the key without the prefix). */
  path: string;
  absolutePath: string;
  size: number;
}

export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface ExcludeRules {
  excludes: string[];
  /** `!GLOB` lines: re-include what an exclude (e.g. the dotfile default) would drop. */
  includes: string[];
}

/** Defaults plus the user's lines; a line starting with '!' re-includes. */
export function excludeRules(userLines: string[]): ExcludeRules {
  const excludes = [...DEFAULT_EXCLUDES];
  const includes: string[] = [];
  for (const line of userLines) {
    if (line.startsWith('!')) includes.push(line.slice(1).trim());
    else excludes.push(line);
  }
  return { excludes, includes };
}

/** The rules, compiled. */
export interface Excluder extends ExcludeRules {
  /** The `include` input's globs: when there are any, only files matching one are published. */
  only: string[];
  /** True when the file is left out (outside `include`, or excluded and not re-included). */
  file(path: string): boolean;
  folder(path: string): boolean;
}

/**
 * Compiles the rules, so that an invalid glob is reported while the inputs are read. `only` (the `include` input)
 * narrows what is published to the files it matches; `exclude` still applies to them.
 */
export function makeExcluder(rules: ExcludeRules, only: string[] = []): Excluder {
  const exclude = rules.excludes.map((pattern) => compilePattern('exclude', pattern));
  const include = rules.includes.map((pattern) => compilePattern('exclude', pattern));
  const allowed = only.map((pattern) => compilePattern('include', pattern));
  const outsideInclude = (path: string) => allowed.length > 0 && !allowed.some((r) => r.test(path));
  const file = (path: string) =>
    outsideInclude(path) || (exclude.some((r) => r.test(path)) && !include.some((r) => r.test(path)));
  const couldHold = (prefixes: string[], path: string) =>
    prefixes.some((prefix) => prefix === '' || prefix.startsWith(`${path}/`) || `${path}/`.startsWith(prefix));
  const onlyPrefixes = only.map(literalPrefix);
  return {
    ...rules,
    only,
    file,
    // A folder is skipped whole when everything in it is excluded and no '!' line could reach inside, or when no
    // `include` glob could match anything inside it.
    folder: (path: string) =>
      (exclude.some((r) => r.test(`${path}/\u0000/\u0000`) && r.test(`${path}/\u0000/\u0000/\u0000`)) &&
        !couldHold(rules.includes.map(literalPrefix), path)) ||
      (allowed.length > 0 && !couldHold(onlyPrefixes, path)),
  };
}

function compilePattern(input: 'exclude' | 'include', pattern: string): RegExp {
  try {
    return globToRegExp(pattern);
  } catch (error) {
    throw new InputError(`Input '${input}' has an invalid pattern '${pattern}': ${(error as Error).message}`);
  }
}

/** `input` names the input the folder came from, for the error. */
export async function assertFolder(source: string, input = 'source'): Promise<void> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new InputError(`Input '${input}' must be an existing folder, got '${source}' (not found)`);
  if (!info.isDirectory()) throw new InputError(`Input '${input}' must be a folder, got '${source}' (a file)`);
}

export interface ScanOptions {
  /** The input the folder came from (for errors); default `source`. */
  input?: string;
  /** A folder with nothing to publish is an answer, not an error (the base branch of a site's first pull request). */
  allowEmpty?: boolean;
}

export async function scanSite(
  source: string,
  excluder: Excluder,
  { input = 'source', allowEmpty = false }: ScanOptions = {},
): Promise<{ files: SiteFile[]; skipped: SkippedEntry[]; excluded: number }> {
  await assertFolder(source, input);
  const root = await realpath(source);
  const files: SiteFile[] = [];
  const skipped: SkippedEntry[] = [];
  let excluded = 0;

  async function walk(folder: string, realFolder: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Resolve every entry of the folder at once (symlinks' realpath calls overlap), then act on them in name order.
    const resolved = await Promise.all(entries.map((entry) => resolveEntry(folder, realFolder, entry)));
    for (const item of resolved) {
      if ('reason' in item) {
        skipped.push(item);
      } else if (item.kind === 'dir') {
        if (excluder.folder(item.path)) continue;
        // A symlink to a folder that contains this one would never end.
        if (realFolder === item.real || realFolder.startsWith(item.real + sep)) {
          skipped.push({ path: item.path, reason: 'symlink loop' });
          continue;
        }
        await walk(item.absolutePath, item.real);
      } else if (excluder.file(item.path)) {
        excluded++;
      } else {
        files.push({ path: item.path, absolutePath: item.real, size: item.size });
      }
    }
  }

  async function resolveEntry(
    folder: string,
    realFolder: string,
    entry: Dirent,
  ): Promise<SkippedEntry | { kind: 'dir' | 'file'; path: string; absolutePath: string; real: string; size: number }> {
    const absolutePath = join(folder, entry.name);
    const path = relative(root, absolutePath).split(sep).join('/').normalize('NFC');
    if (!entry.isSymbolicLink()) {
      const real = join(realFolder, entry.name);
      if (entry.isDirectory()) return { kind: 'dir', path, absolutePath, real, size: 0 };
      if (!entry.isFile()) return { path, reason: 'not a regular file' };
      if (excluder.file(path)) return { kind: 'file', path, absolutePath, real, size: 0 };
      return { kind: 'file', path, absolutePath, real, size: statSync(real).size };
    }
    const real = await realpath(absolutePath).catch(() => undefined);
    if (!real) return { path, reason: 'broken symlink' };
    if (real !== root && !real.startsWith(root + sep))
      return { path, reason: 'symlink pointing outside the source folder' };
    const info = statSync(real);
    if (info.isDirectory()) return { kind: 'dir', path, absolutePath, real, size: 0 };
    if (!info.isFile()) return { path, reason: 'not a regular file' };
    return { kind: 'file', path, absolutePath, real, size: info.size };
  }

  await walk(root, root);
  if (files.length === 0 && !allowEmpty) {
    throw new InputError(
      `Input '${input}' folder '${source}' has no files to publish` + (excluded ? ` (${excluded} excluded)` : ''),
    );
  }
  return { files, skipped, excluded };
}

const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

/**
 * A file's hex digest. Small files are read whole in one blocking call (for thousands of small files that costs far
 * less than fs/promises or a stream); large ones are streamed.
 */
export async function hashFile(absolutePath: string, algorithm: 'md5' | 'sha256', size: number): Promise<string> {
  if (size < WHOLE_FILE_LIMIT) return createHash(algorithm).update(readFileSync(absolutePath)).digest('hex');
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(absolutePath)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
