import { InputError } from '../../lib/runner/inputs.js';
import { runPool } from './parallel.js';
import { progress } from './log.js';
import { manifestKey, parseManifest } from './s3-manifest.js';
import type { S3Site } from './s3-api.js';
import type { SkippedEntry } from './site-files.js';
import {
  knownSha256,
  planDeploy,
  type HeadInfo,
  type LocalObject,
  type RemoteObject,
  type UploadPlan,
} from './upload-plan.js';
import { readSiteFolder, withSha256 } from './local-objects.js';
import { errorText } from '../../lib/runner/error-text.js';
import { formatBytes } from './log.js';
import type { FrontendInputs } from './inputs.js';
import { looksLikeTooling } from './tooling-files.js';
import type { PendingInvalidations } from './pending-invalidations.js';

/** What a deploy will do, decided from the source and the bucket before anything is written. */
export interface Decision {
  plan: UploadPlan;
  local: LocalObject[];
  remote: RemoteObject[];
  /** The manifest as stored, to know whether it must be rewritten. */
  manifestText?: string;
  skipped: SkippedEntry[];
  unknownTypes: string[];
  /** Extensionless files published as pages because their first bytes are HTML. */
  pagesByContent: string[];
  /** Files published that look like repository tooling (only looked for when no `include` list is given). */
  tooling: string[];
  /** Invalidations earlier runs recorded but could not create. */
  pending: PendingInvalidations;
}

export async function decide(inputs: FrontendInputs, s3: S3Site, signal?: AbortSignal): Promise<Decision> {
  const reservedKey = manifestKey(inputs.prefix);
  const { skipped, drafts, unknownTypes, pagesByContent, remote, manifestText } = await readBothSides(
    inputs,
    s3,
    reservedKey,
  );
  if (drafts.some((file) => file.key === reservedKey)) {
    throw new InputError(`Input 'source' contains '${reservedKey}', a name this action keeps for its manifest`);
  }
  const bytes = drafts.reduce((sum, file) => sum + file.size, 0);
  progress(`${drafts.length} file(s) in '${inputs.source}' (${formatBytes(bytes)})`);

  const manifest = parseManifest(manifestText);
  const local = await withSha256(drafts, knownSha256(drafts, remote, manifest), inputs.concurrency);
  const planInput = {
    local,
    remote,
    manifest,
    deleteRemoved: inputs.deleteRemoved,
    reserved: new Set([reservedKey]),
    covered: (key: string) => !inputs.exclude.file(key.slice(inputs.prefix.length)),
  };
  let plan = planDeploy(planInput);
  if (plan.needsHead.length > 0) {
    progress(`Reading the headers of ${plan.needsHead.length} object(s) the manifest does not cover`);
    const heads = await headAll(s3, plan.needsHead, inputs.concurrency, signal);
    // An object gone between the listing and its HEAD is treated as absent.
    const headed = new Set(plan.needsHead);
    const stillThere = remote.filter((object) => heads.has(object.key) || !headed.has(object.key));
    plan = planDeploy({ ...planInput, remote: stillThere, heads });
  }
  progress(`${remote.length} object(s) under s3://${inputs.bucket}/${inputs.prefix} (${s3.requests} request(s))`);
  const tooling =
    inputs.exclude.only.length > 0
      ? []
      : local.map((file) => file.key.slice(inputs.prefix.length)).filter((path) => looksLikeTooling(path));
  const pending = manifest.pendingInvalidations ?? {};
  return { plan, local, remote, manifestText, skipped, unknownTypes, pagesByContent, tooling, pending };
}

/** The source (scanned and hashed) and the bucket (listing, manifest), read at the same time. */
async function readBothSides(inputs: FrontendInputs, s3: S3Site, reservedKey: string) {
  const [localRead, bucketRead] = await Promise.allSettled([
    readSiteFolder(inputs.source, inputs),
    (async () => {
      const listing = await s3.list(inputs.prefix);
      const remote = listing.filter((object) => object.key !== reservedKey);
      const manifestText = listing.length > remote.length ? await s3.getText(reservedKey) : undefined;
      return { remote, manifestText };
    })(),
  ]);
  // A problem with the source is the user's to fix first, whatever the bucket said meanwhile.
  if (localRead.status === 'rejected') throw localRead.reason;
  if (bucketRead.status === 'rejected') throw explainBucketError(bucketRead.reason, inputs.bucket);
  return { ...localRead.value, ...bucketRead.value };
}

function explainBucketError(error: unknown, bucket: string): unknown {
  const name = (error as { name?: string })?.name;
  if (name === 'NoSuchBucket') {
    return new Error(`Bucket '${bucket}' does not exist (NoSuchBucket); check the 'bucket' input`);
  }
  if (name === 'AccessDenied') {
    return new Error(`Access denied listing bucket '${bucket}': the role needs s3:ListBucket on it`);
  }
  return error;
}

async function headAll(
  s3: S3Site,
  keys: string[],
  concurrency: number,
  signal?: AbortSignal,
): Promise<Map<string, HeadInfo>> {
  const result = await runPool(keys, concurrency, async (key) => [key, await s3.head(key)] as const, { signal });
  if (result.failed.length > 0)
    throw new Error(`HEAD failed: ${errorText(result.failed[0]?.error, { request: true })}`);
  const heads = new Map<string, HeadInfo>();
  for (const { value } of result.done) if (value[1]) heads.set(value[0], value[1]);
  return heads;
}
