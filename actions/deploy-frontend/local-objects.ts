import { cacheControlFor, type CompiledRule } from './cache-rules.js';
import { contentTypeFor } from './content-types.js';
import { mapPool } from './parallel.js';
import { hashFile, type SiteFile } from './site-files.js';
import type { LocalDraft, LocalObject } from './upload-plan.js';

/** The source's files as the objects they should become (sorted by key): key, MD5 and the headers the rules give them. */
export async function describeLocalObjects(
  files: SiteFile[],
  options: { prefix: string; cacheControl: CompiledRule[]; contentType: CompiledRule[]; concurrency: number },
): Promise<{ objects: LocalDraft[]; unknownTypes: string[] }> {
  const md5s = await mapPool(files, Math.max(8, options.concurrency), (file) =>
    hashFile(file.absolutePath, 'md5', file.size),
  );
  const unknownTypes: string[] = [];
  const objects = files
    .map((file, index) => {
      const type = contentTypeFor(file.path, options.contentType);
      if (type.unknown) unknownTypes.push(file.path);
      return {
        key: options.prefix + file.path,
        absolutePath: file.absolutePath,
        size: file.size,
        md5: md5s[index] as string,
        cacheControl: cacheControlFor(options.cacheControl, file.path),
        contentType: type.contentType,
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { objects, unknownTypes };
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
