import { cacheControlFor, type CompiledRule } from '../shared/cache-rules.js';
import { contentTypeFor } from '../shared/content-types.js';
import { runPool } from '../shared/parallel.js';
import { hashFile, type SiteFile } from '../shared/site-files.js';
import type { LocalDraft, LocalObject } from '../shared/upload-plan.js';

/** The source's files as the objects they should become: key, MD5 and the headers the rules give them. */
export async function describeLocalObjects(
  files: SiteFile[],
  options: { prefix: string; cacheControl: CompiledRule[]; contentType: CompiledRule[]; concurrency: number },
): Promise<{ objects: LocalDraft[]; unknownTypes: string[] }> {
  const hashed = await runPool(files, Math.max(8, options.concurrency), async (file) => ({
    file,
    md5: await hashFile(file.absolutePath, 'md5', file.size),
  }));
  if (hashed.failed.length > 0) throw hashed.failed[0]?.error;
  const unknownTypes: string[] = [];
  const objects = hashed.done
    .map(({ value: { file, md5 } }) => {
      const type = contentTypeFor(file.path, options.contentType);
      if (type.unknown) unknownTypes.push(file.path);
      return {
        key: options.prefix + file.path,
        path: file.path,
        absolutePath: file.absolutePath,
        size: file.size,
        md5,
        cacheControl: cacheControlFor(options.cacheControl, file.path),
        contentType: type.contentType,
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { objects, unknownTypes };
}

/**
 * Adds each file's SHA-256: taken from the manifest where the MD5 ETag proves the content is the recorded one (so a
 * redeploy with nothing changed reads every file once), computed for the rest.
 */
export async function withSha256(
  drafts: LocalDraft[],
  known: ReadonlyMap<string, string>,
  concurrency: number,
): Promise<LocalObject[]> {
  const result = await runPool(drafts, Math.max(8, concurrency), async (draft) => ({
    ...draft,
    sha256: known.get(draft.key) ?? (await hashFile(draft.absolutePath, 'sha256', draft.size)),
  }));
  if (result.failed.length > 0) throw result.failed[0]?.error;
  return result.done.map((d) => d.value).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
