import { collapsePaths } from './invalidation-paths.js';

/**
 * Invalidations not yet created, per distribution id, kept in the manifest with the uploads they belong to. They are
 * recorded before CreateInvalidation is sent and cleared once it succeeded, so a run that fails or is cut off after
 * uploading leaves them for the next run, which invalidates them even if it has nothing to upload.
 */
export type PendingInvalidations = Record<string, string[]>;

export interface InvalidationBatch {
  /** What to invalidate now: this run's paths and the carried ones, collapsed to at most 10. */
  paths: string[];
  /** Paths an earlier run recorded and this run carries out. */
  carried: string[];
}

export function invalidationBatch(
  planPaths: string[],
  pending: PendingInvalidations,
  distributionId: string,
): InvalidationBatch {
  const carried = [...(pending[distributionId] ?? [])].sort();
  const paths = carried.length + planPaths.length === 0 ? [] : collapsePaths([...carried, ...planPaths]);
  return { paths, carried };
}

/** `pending` with the paths of `distributionId` set (or removed when there are none). */
export function withPending(
  pending: PendingInvalidations,
  distributionId: string,
  paths: string[],
): PendingInvalidations {
  const next = { ...pending };
  if (paths.length > 0) next[distributionId] = [...paths].sort();
  else delete next[distributionId];
  return next;
}

/** Keeps only well-formed entries (an id and a list of paths starting with '/'). */
export function parsePending(value: unknown): PendingInvalidations {
  const pending: PendingInvalidations = {};
  if (!value || typeof value !== 'object') return pending;
  for (const [id, paths] of Object.entries(value)) {
    if (!Array.isArray(paths)) continue;
    const valid = paths.filter((path): path is string => typeof path === 'string' && path.startsWith('/'));
    if (valid.length > 0) pending[id] = valid;
  }
  return pending;
}
