import { isLongLived } from './cache-lifetime.js';
import { isEntryPoint } from './cache-rules.js';
import { collapsePaths, pathsForKeys } from './invalidation-paths.js';
import type { PendingInvalidations } from './pending-invalidations.js';
import { isMd5Etag, type Manifest, type ManifestEntry } from './s3-manifest.js';

/** Decide what a deploy does, from the local files, the bucket's listing and the manifest. Pure: no I/O. */

export interface LocalObject {
  key: string;
  absolutePath: string;
  size: number;
  md5: string;
  sha256: string;
  cacheControl: string;
  contentType: string;
  /** Set when the file has no extension and its first bytes made it a page. */
  recognisedBy?: 'content';
}

/** A local file before its SHA-256 is known (see knownSha256). */
export type LocalDraft = Omit<LocalObject, 'sha256'>;

export interface RemoteObject {
  key: string;
  /** Unquoted, lower-case. */
  etag: string;
  size: number;
}

/** What a HEAD said, for the keys the listing and manifest could not settle. */
export interface HeadInfo {
  etag: string;
  cacheControl?: string;
  contentType?: string;
  /** From the `sha256` user metadata this action sets on upload. */
  sha256?: string;
}

export type ChangeReason = 'new' | 'content changed' | 'headers changed';

export interface Change {
  key: string;
  /** 'copy' rewrites headers in place (CopyObject); 'put' uploads the bytes. */
  method: 'put' | 'copy';
  reason: ChangeReason;
  phase: 'asset' | 'entry-point';
  size: number;
  cacheControl: string;
  contentType: string;
  previous?: { cacheControl?: string; contentType?: string };
  recognisedBy?: 'content';
  /**
   * Content changed under a name browsers may keep for a day or more (`immutable` or a long max-age, now or in the
   * headers the object carried): they would go on using the old copy.
   */
  longLived?: boolean;
}

export interface UploadPlan {
  /** Assets first, entry points after them; the order to act in. */
  changes: Change[];
  unchanged: string[];
  deletes: string[];
  /** Objects under the prefix that are not in the source, kept because `delete` is off. */
  kept: string[];
  /** Objects not in the source that the include/exclude rules do not cover: never deletion candidates. */
  outsideRules: string[];
  /** Keys of the changes whose content changed under a long-lived name. */
  changedLongLived: string[];
  needsHead: string[];
  invalidationPaths: string[];
  bytesToUpload: number;
}

export interface PlanInput {
  local: LocalObject[];
  remote: RemoteObject[];
  manifest: Manifest;
  heads?: ReadonlyMap<string, HeadInfo>;
  deleteRemoved: boolean;
  /** Keys never deleted (the manifest itself). */
  reserved: ReadonlySet<string>;
  /** Whether the include/exclude rules cover a key (one not covered is never deleted); default: every key. */
  covered?: (key: string) => boolean;
}

/** 'unproven': a HEAD without a hash cannot tell, so the file is uploaded again, but it is not known to differ. */
type Verdict = 'same' | 'changed' | 'unproven' | 'unknown';

/**
 * SHA-256s that need no reading: where the listing's MD5 ETag equals the file's MD5 and the manifest entry still
 * matches that ETag, the recorded SHA-256 is the file's.
 */
export function knownSha256(local: LocalDraft[], remote: RemoteObject[], manifest: Manifest): Map<string, string> {
  const remoteByKey = new Map(remote.map((object) => [object.key, object]));
  const known = new Map<string, string>();
  for (const file of local) {
    const object = remoteByKey.get(file.key);
    const entry = manifest.objects[file.key];
    if (object && entry && isMd5Etag(object.etag) && object.etag === file.md5 && entry.etag === object.etag) {
      known.set(file.key, entry.sha256);
    }
  }
  return known;
}

function compareContent(local: LocalObject, remote: RemoteObject, entry?: ManifestEntry, head?: HeadInfo): Verdict {
  if (local.size !== remote.size) return 'changed';
  if (isMd5Etag(remote.etag)) return remote.etag === local.md5 ? 'same' : 'changed';
  if (entry && entry.etag === remote.etag) return entry.sha256 === local.sha256 ? 'same' : 'changed';
  if (head?.sha256) return head.sha256 === local.sha256 ? 'same' : 'changed';
  // A HEAD that carries no hash cannot tell: upload again rather than guess.
  return head ? 'unproven' : 'unknown';
}

function recordedHeaders(remote: RemoteObject, entry?: ManifestEntry, head?: HeadInfo) {
  if (entry && entry.etag === remote.etag) return { cacheControl: entry.cacheControl, contentType: entry.contentType };
  if (head) return { cacheControl: head.cacheControl ?? '', contentType: head.contentType ?? '' };
  return undefined;
}

/** A change a cache may hold stale: anything changed in place, and any new or changed entry point. */
export function needsInvalidation(change: Change): boolean {
  return change.reason !== 'new' || change.phase === 'entry-point';
}

export function planDeploy(input: PlanInput): UploadPlan {
  const remoteByKey = new Map(input.remote.map((object) => [object.key, object]));
  const localKeys = new Set(input.local.map((file) => file.key));
  const changes: Change[] = [];
  const unchanged: string[] = [];
  const needsHead: string[] = [];

  for (const file of input.local) {
    const remote = remoteByKey.get(file.key);
    const phase = isEntryPoint(file.key, file.cacheControl, file.contentType) ? 'entry-point' : 'asset';
    const base = {
      key: file.key,
      phase,
      size: file.size,
      cacheControl: file.cacheControl,
      contentType: file.contentType,
      ...(file.recognisedBy ? { recognisedBy: file.recognisedBy } : {}),
    } as const;
    if (!remote) {
      changes.push({ ...base, method: 'put', reason: 'new' });
      continue;
    }
    const entry = input.manifest.objects[file.key];
    const head = input.heads?.get(file.key);
    const content = compareContent(file, remote, entry, head);
    const headers = recordedHeaders(remote, entry, head);
    if (content === 'changed' || content === 'unproven') {
      const longLived =
        content === 'changed' &&
        (isLongLived(file.cacheControl) || (headers !== undefined && isLongLived(headers.cacheControl)));
      changes.push({ ...base, method: 'put', reason: 'content changed', ...(longLived ? { longLived } : {}) });
      continue;
    }
    if (content === 'unknown' || !headers) {
      needsHead.push(file.key);
      continue;
    }
    if (headers.cacheControl === file.cacheControl && headers.contentType === file.contentType) {
      unchanged.push(file.key);
    } else {
      changes.push({ ...base, method: 'copy', reason: 'headers changed', previous: headers });
    }
  }

  const notInSource = input.remote.map((o) => o.key).filter((key) => !localKeys.has(key) && !input.reserved.has(key));
  const covered = input.covered ?? (() => true);
  const orphans = notInSource.filter(covered);
  const ordered = [
    ...changes.filter((change) => change.phase === 'asset'),
    ...changes.filter((change) => change.phase === 'entry-point'),
  ];
  const staleable = ordered.filter(needsInvalidation);
  return {
    changes: ordered,
    unchanged,
    deletes: input.deleteRemoved ? orphans : [],
    kept: input.deleteRemoved ? [] : orphans,
    outsideRules: notInSource.filter((key) => !covered(key)),
    changedLongLived: ordered.filter((change) => change.longLived).map((change) => change.key),
    needsHead,
    invalidationPaths: collapsePaths(pathsForKeys(staleable.map((change) => change.key))),
    bytesToUpload: ordered.filter((c) => c.method === 'put').reduce((sum, change) => sum + change.size, 0),
  };
}

/** The changes a deploy refuses (or, with `changed-immutable: warn`, warns about): content changed, long-lived name. */
export function changedLongLived(plan: UploadPlan): Change[] {
  return plan.changes.filter((change) => change.longLived);
}

/** The manifest after a run: what was uploaded (with the ETag S3 returned) and what was already right. */
export function nextManifest(
  local: LocalObject[],
  remote: RemoteObject[],
  plan: UploadPlan,
  done: ReadonlyMap<string, string>,
  pendingInvalidations: PendingInvalidations = {},
): Manifest {
  const remoteByKey = new Map(remote.map((object) => [object.key, object]));
  const unchanged = new Set(plan.unchanged);
  const objects: Manifest['objects'] = {};
  for (const file of local) {
    const etag = done.get(file.key) ?? (unchanged.has(file.key) ? remoteByKey.get(file.key)?.etag : undefined);
    if (etag === undefined) continue;
    objects[file.key] = {
      etag,
      sha256: file.sha256,
      size: file.size,
      cacheControl: file.cacheControl,
      contentType: file.contentType,
    };
  }
  return Object.keys(pendingInvalidations).length > 0
    ? { version: 1, objects, pendingInvalidations }
    : { version: 1, objects };
}
