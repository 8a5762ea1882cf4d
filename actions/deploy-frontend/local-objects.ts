import { cacheControlFor, cacheControlForPage, firstMatch, type CompiledRule } from './cache-rules.js';
import { contentTypeFor, PAGE_CONTENT_TYPE } from './content-types.js';
import { hasNoExtension, looksLikeHtmlPage, readHead } from './html-sniff.js';
import { mapPool } from './parallel.js';
import type { Excluder } from './site-files.js';
import { hashFile, scanSite, type ScanOptions, type SiteFile, type SkippedEntry } from './site-files.js';
import type { LocalDraft, LocalObject } from './upload-plan.js';

interface DescribeOptions {
  prefix: string;
  cacheControl: CompiledRule[];
  contentType: CompiledRule[];
  concurrency: number;
}

/** A folder read as the objects it would become: scanned with the include/exclude rules, typed, MD5 known. */
export async function readSiteFolder(
  folder: string,
  options: DescribeOptions & { exclude: Excluder },
  scanOptions?: ScanOptions,
): Promise<{ skipped: SkippedEntry[]; drafts: LocalDraft[]; unknownTypes: string[]; pagesByContent: string[] }> {
  const scan = await scanSite(folder, options.exclude, scanOptions);
  const { objects, unknownTypes, pagesByContent } = await describeLocalObjects(scan.files, options);
  return { skipped: scan.skipped, drafts: objects, unknownTypes, pagesByContent };
}

/**
 * The source's files as the objects they should become (sorted by key): key, MD5 and the headers the rules give them.
 * A file without an extension whose first bytes are an HTML page is a page (unless a `content-type` rule names it).
 */
export async function describeLocalObjects(
  files: SiteFile[],
  options: DescribeOptions,
): Promise<{ objects: LocalDraft[]; unknownTypes: string[]; pagesByContent: string[] }> {
  const md5s = await mapPool(files, Math.max(8, options.concurrency), (file) =>
    hashFile(file.absolutePath, 'md5', file.size),
  );
  const unknownTypes: string[] = [];
  const pagesByContent: string[] = [];
  const objects = files
    .map((file, index): LocalDraft => {
      const common = {
        key: options.prefix + file.path,
        absolutePath: file.absolutePath,
        size: file.size,
        md5: md5s[index] as string,
      };
      if (isPageByContent(file, options.contentType)) {
        pagesByContent.push(file.path);
        return {
          ...common,
          cacheControl: cacheControlForPage(options.cacheControl, file.path),
          contentType: PAGE_CONTENT_TYPE,
          recognisedBy: 'content',
        };
      }
      const type = contentTypeFor(file.path, options.contentType);
      if (type.unknown) unknownTypes.push(file.path);
      return {
        ...common,
        cacheControl: cacheControlFor(options.cacheControl, file.path),
        contentType: type.contentType,
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { objects, unknownTypes, pagesByContent: pagesByContent.sort() };
}

function isPageByContent(file: SiteFile, contentTypeRules: CompiledRule[]): boolean {
  return (
    hasNoExtension(file.path) &&
    !firstMatch(contentTypeRules, file.path) &&
    file.size > 0 &&
    looksLikeHtmlPage(readHead(file.absolutePath))
  );
}

/**
 * Adds each file's SHA-256 (keeping the drafts' order): taken from the manifest where the MD5 ETag proves the content
 * is the recorded one (so a redeploy with nothing changed reads every file once), computed for the rest.
 */
export function withSha256(
  drafts: LocalDraft[],
  known: ReadonlyMap<string, string>,
  concurrency: number,
): Promise<LocalObject[]> {
  return mapPool(drafts, Math.max(8, concurrency), async (draft) => ({
    ...draft,
    sha256: known.get(draft.key) ?? (await hashFile(draft.absolutePath, 'sha256', draft.size)),
  }));
}
