/**
 * The record this action keeps in the bucket of what it uploaded: per key, the ETag S3 gave the object, its SHA-256
 * and the headers it was given. An entry is trusted only while the listing still shows the same ETag, so the listing
 * alone tells which headers each object carries, without a HEAD per file, and objects whose ETag is not an MD5
 * (multipart, SSE-KMS) can be compared by SHA-256.
 */

import { parsePending, type PendingInvalidations } from './pending-invalidations.js';

const MANIFEST_NAME = '.deploy-manifest.json';
export const MANIFEST_CACHE_CONTROL = 'no-store';

export interface ManifestEntry {
  etag: string;
  sha256: string;
  size: number;
  cacheControl: string;
  contentType: string;
}

export interface Manifest {
  version: 1;
  objects: Record<string, ManifestEntry>;
  /** Invalidations recorded but not yet created, per distribution id (see pending-invalidations.ts). */
  pendingInvalidations?: PendingInvalidations;
}

export function emptyManifest(): Manifest {
  return { version: 1, objects: {} };
}

export function manifestKey(prefix: string): string {
  return `${prefix}${MANIFEST_NAME}`;
}

/** Anything unreadable counts as no manifest: the plan then falls back to HEAD, it never trusts a bad record. */
export function parseManifest(text: string | undefined): Manifest {
  if (!text) return emptyManifest();
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    if (value.version !== 1 || typeof value.objects !== 'object' || value.objects === null) return emptyManifest();
    const objects: Record<string, ManifestEntry> = {};
    for (const [key, entry] of Object.entries(value.objects)) {
      if (
        entry &&
        typeof entry.etag === 'string' &&
        typeof entry.sha256 === 'string' &&
        typeof entry.cacheControl === 'string' &&
        typeof entry.contentType === 'string'
      ) {
        objects[key] = { ...entry, size: Number(entry.size) };
      }
    }
    const pending = parsePending(value.pendingInvalidations);
    return Object.keys(pending).length > 0
      ? { version: 1, objects, pendingInvalidations: pending }
      : { version: 1, objects };
  } catch {
    return emptyManifest();
  }
}

/** Stable serialisation (sorted keys) so an unchanged manifest is recognised and not rewritten. */
export function serializeManifest(manifest: Manifest): string {
  const objects: Record<string, ManifestEntry> = {};
  for (const key of Object.keys(manifest.objects).sort()) objects[key] = manifest.objects[key] as ManifestEntry;
  const pending: PendingInvalidations = {};
  for (const id of Object.keys(manifest.pendingInvalidations ?? {}).sort()) {
    pending[id] = manifest.pendingInvalidations?.[id] as string[];
  }
  const body =
    Object.keys(pending).length > 0 ? { version: 1, objects, pendingInvalidations: pending } : { version: 1, objects };
  return JSON.stringify(body, null, 1) + '\n';
}

/** ETags as S3 lists them are quoted; compared unquoted and lower-case. */
export function normalizeEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '').toLowerCase();
}

export function isMd5Etag(etag: string): boolean {
  return /^[0-9a-f]{32}$/.test(etag);
}
