import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createInvalidation, invalidationStatus } from './cloudfront-api.js';
import { collapsePaths, pathsForKeys } from './invalidation-paths.js';
import { waitForInvalidation } from './invalidation-wait.js';
import { invalidationBatch, withPending, type PendingInvalidations } from './pending-invalidations.js';
import { formatSeconds } from '../../lib/runner/time.js';
import { runPool } from './parallel.js';
import { progress } from './log.js';
import { manifestKey, serializeManifest, type Manifest } from './s3-manifest.js';
import type { S3Site } from './s3-api.js';
import {
  needsInvalidation,
  nextManifest,
  type Change,
  type LocalObject,
  type RemoteObject,
  type UploadPlan,
} from './upload-plan.js';
import { errorText } from '../../lib/runner/error-text.js';
import { uploadProgressLine } from './log.js';
import type { Outcome } from './outcome.js';

/** How often a running upload phase reports how far it got. */
const PROGRESS_EVERY_MS = 10_000;

export interface ExecuteContext {
  s3: S3Site;
  cloudfront?: {
    client: CloudFrontClient;
    distributionId: string;
    callerReference: string;
    /** Wait for the invalidation to complete, at most this long (ms), reading its status every `pollMs`. */
    wait?: { timeoutMs: number; pollMs: number };
  };
  /** Invalidations the manifest says earlier runs could not create. */
  pending: PendingInvalidations;
  plan: UploadPlan;
  local: LocalObject[];
  remote: RemoteObject[];
  /** The manifest as last stored (updated as this run writes it), so an unchanged one is not written again. */
  written: { text: string | undefined };
  prefix: string;
  concurrency: number;
  signal?: AbortSignal;
}

/** Carries out a plan in the only safe order: assets, then entry points, then the invalidation, then deletes. */
export async function executePlan(ctx: ExecuteContext): Promise<Outcome> {
  const byKey = new Map(ctx.local.map((file) => [file.key, file]));
  const etags = new Map<string, string>();
  const outcome: Outcome = {
    done: [],
    failed: [],
    notStarted: [],
    deleted: [],
    bytesUploaded: 0,
    invalidationPaths: [],
    carriedPaths: [],
    pendingPaths: [],
  };
  const distributionId = ctx.cloudfront?.distributionId;
  const batch = distributionId
    ? invalidationBatch(ctx.plan.invalidationPaths, ctx.pending, distributionId)
    : { paths: [], carried: [] };
  outcome.invalidationPaths = batch.paths;
  outcome.carriedPaths = batch.carried;
  /** The pending invalidations to record with the manifest: nothing changes without a distribution to key them on. */
  const pendingWith = (paths: string[]) =>
    distributionId ? withPending(ctx.pending, distributionId, paths) : ctx.pending;

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
      // What did land and can be cached stale must still be invalidated: the next run will see it as unchanged.
      const stale = pathsForKeys(outcome.done.filter(needsInvalidation).map((change) => change.key));
      const carry = stale.length > 0 ? collapsePaths([...batch.carried, ...stale]) : batch.carried;
      if (distributionId && carry.length > 0) outcome.pendingPaths = carry;
      await saveManifest(ctx, etags, pendingWith(carry)).catch(() => {
        outcome.pendingPaths = [];
      });
      return outcome;
    }
    progress(`Uploaded ${changes.length} ${name}`);
  }

  // The paths to invalidate are recorded with the uploads, before CreateInvalidation: a failed or cut-off run leaves
  // them for the next one.
  try {
    await saveManifest(ctx, etags, pendingWith(batch.paths));
  } catch (error) {
    return {
      ...outcome,
      stoppedAt: 'manifest',
      error: `writing the deploy manifest failed: ${errorText(error, { request: true })}`,
    };
  }

  if (ctx.cloudfront && batch.paths.length > 0) {
    const { client, callerReference, wait } = ctx.cloudfront;
    const id = ctx.cloudfront.distributionId;
    if (batch.carried.length > 0) {
      progress(`Invalidating ${batch.carried.length} path(s) an earlier run left: ${batch.carried.join(' ')}`);
    }
    try {
      outcome.invalidationId = await createInvalidation(client, id, batch.paths, callerReference, ctx.signal);
      progress(`CloudFront invalidation ${outcome.invalidationId}: ${batch.paths.join(' ')}`);
    } catch (error) {
      return {
        ...outcome,
        pendingPaths: batch.paths,
        stoppedAt: 'invalidation',
        error: `CloudFront invalidation failed: ${errorText(error, { request: true })}`,
      };
    }
    await saveManifest(ctx, etags, pendingWith([])).catch((error) => {
      progress(`Could not clear the recorded invalidation (${errorText(error)}): the next run invalidates it again`);
    });
    if (wait) {
      const invalidationId = outcome.invalidationId;
      const waited = await waitForInvalidation({
        readStatus: () => invalidationStatus(client, id, invalidationId, ctx.signal),
        timeoutMs: wait.timeoutMs,
        pollMs: wait.pollMs,
        signal: ctx.signal,
        onStatus: (status, ms) =>
          progress(`Invalidation ${invalidationId}: ${status} after ${formatSeconds(ms / 1000)}`),
        onError: (error) => progress(`Reading invalidation ${invalidationId} failed: ${errorText(error)}`),
      }).catch((error: unknown) => {
        if (ctx.signal?.aborted) return undefined;
        throw error;
      });
      if (!waited)
        return { ...outcome, stoppedAt: 'invalidation', error: 'cancelled while waiting for the invalidation' };
      outcome.invalidationStatus = waited.status ?? 'unknown';
      outcome.invalidationWaitMs = waited.waitedMs;
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

async function saveManifest(
  ctx: ExecuteContext,
  etags: ReadonlyMap<string, string>,
  pending: PendingInvalidations,
): Promise<void> {
  const manifest: Manifest = nextManifest(ctx.local, ctx.remote, ctx.plan, etags, pending);
  const text = serializeManifest(manifest);
  if (text === ctx.written.text) return;
  await ctx.s3.putText(manifestKey(ctx.prefix), text, 'application/json; charset=utf-8');
  ctx.written.text = text;
}
