import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createInvalidation } from './cloudfront-api.js';
import { runPool } from './parallel.js';
import { progress } from '../../lib/runner/log.js';
import { manifestKey, serializeManifest, type Manifest } from './s3-manifest.js';
import type { S3Site } from './s3-api.js';
import { nextManifest, type Change, type LocalObject, type RemoteObject, type UploadPlan } from './upload-plan.js';
import { errorText } from '../../lib/runner/error-text.js';
import { uploadProgressLine } from './log.js';
import type { Outcome } from './outcome.js';

/** How often a running upload phase reports how far it got. */
const PROGRESS_EVERY_MS = 10_000;

export interface ExecuteContext {
  s3: S3Site;
  cloudfront?: { client: CloudFrontClient; distributionId: string; callerReference: string };
  plan: UploadPlan;
  local: LocalObject[];
  remote: RemoteObject[];
  previousManifest: string | undefined;
  prefix: string;
  concurrency: number;
  signal?: AbortSignal;
}

/** Carries out a plan in the only safe order: assets, then entry points, then the invalidation, then deletes. */
export async function executePlan(ctx: ExecuteContext): Promise<Outcome> {
  const byKey = new Map(ctx.local.map((file) => [file.key, file]));
  const etags = new Map<string, string>();
  const outcome: Outcome = { done: [], failed: [], notStarted: [], deleted: [], bytesUploaded: 0 };

  const phaseDone = { files: 0, bytes: 0 };
  const apply = async (change: Change) => {
    const file = byKey.get(change.key) as LocalObject;
    const etag =
      change.method === 'put'
        ? await ctx.s3.putFile(change.key, file, change)
        : await ctx.s3.copyInPlace(change.key, file.sha256, change);
    etags.set(change.key, etag);
    const bytes = change.method === 'put' ? change.size : 0;
    outcome.bytesUploaded += bytes;
    phaseDone.files++;
    phaseDone.bytes += bytes;
    return change;
  };

  const phases: Array<['assets' | 'entry points', Change[]]> = [
    ['assets', ctx.plan.changes.filter((c) => c.phase === 'asset')],
    ['entry points', ctx.plan.changes.filter((c) => c.phase === 'entry-point')],
  ];
  for (const [index, [name, changes]] of phases.entries()) {
    if (changes.length === 0) continue;
    progress(`Uploading ${changes.length} ${name}…`);
    Object.assign(phaseDone, { files: 0, bytes: 0 });
    const total = {
      files: changes.length,
      bytes: changes.reduce((sum, c) => sum + (c.method === 'put' ? c.size : 0), 0),
    };
    const ticker = setInterval(() => progress(uploadProgressLine(name, phaseDone, total)), PROGRESS_EVERY_MS).unref();
    const result = await runPool(changes, ctx.concurrency, apply, { signal: ctx.signal }).finally(() =>
      clearInterval(ticker),
    );
    outcome.done.push(...result.done.map((d) => d.value));
    if (result.failed.length > 0 || result.notStarted.length > 0) {
      outcome.failed = result.failed.map(({ item, error }) => ({
        change: item,
        message: errorText(error, { request: true }),
      }));
      outcome.notStarted = [...result.notStarted, ...phases.slice(index + 1).flatMap(([, rest]) => rest)];
      outcome.stoppedAt = name;
      outcome.error = ctx.signal?.aborted
        ? 'cancelled'
        : `${result.failed.length} upload(s) failed after every attempt`;
      await saveManifest(ctx, etags).catch(() => undefined);
      return outcome;
    }
    progress(`Uploaded ${changes.length} ${name}`);
  }

  try {
    await saveManifest(ctx, etags);
  } catch (error) {
    return {
      ...outcome,
      stoppedAt: 'manifest',
      error: `writing the deploy manifest failed: ${errorText(error, { request: true })}`,
    };
  }

  if (ctx.cloudfront && ctx.plan.invalidationPaths.length > 0) {
    try {
      const { client, distributionId, callerReference } = ctx.cloudfront;
      outcome.invalidationId = await createInvalidation(
        client,
        distributionId,
        ctx.plan.invalidationPaths,
        callerReference,
        ctx.signal,
      );
      progress(`CloudFront invalidation ${outcome.invalidationId}: ${ctx.plan.invalidationPaths.join(' ')}`);
    } catch (error) {
      return {
        ...outcome,
        stoppedAt: 'invalidation',
        error: `CloudFront invalidation failed: ${errorText(error, { request: true })}`,
      };
    }
  }

  if (ctx.plan.deletes.length > 0) {
    try {
      await ctx.s3.deleteKeys(ctx.plan.deletes);
      outcome.deleted = [...ctx.plan.deletes];
      progress(`Deleted ${outcome.deleted.length} object(s) no longer in the source`);
    } catch (error) {
      return {
        ...outcome,
        stoppedAt: 'deletes',
        error: `deleting old objects failed: ${errorText(error, { request: true })}`,
      };
    }
  }
  return outcome;
}

async function saveManifest(ctx: ExecuteContext, etags: ReadonlyMap<string, string>): Promise<void> {
  const manifest: Manifest = nextManifest(ctx.local, ctx.remote, ctx.plan, etags);
  const text = serializeManifest(manifest);
  if (text === ctx.previousManifest) return;
  await ctx.s3.putText(manifestKey(ctx.prefix), text, 'application/json; charset=utf-8');
}
