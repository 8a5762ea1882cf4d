import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Outcome } from './outcome.js';
import type { UploadPlan } from './upload-plan.js';

/** The step's outputs, and the plan written as JSON for later steps. */

/**
 * The step's outputs. `uploaded` counts every object written (new or changed content, and header-only updates), so
 * that after a complete run `uploaded + unchanged` is the number of files in the source; `bytes-uploaded` counts only
 * content sent. A dry run writes nothing: 0.
 */
export function outputsOf(plan: UploadPlan, outcome: Outcome | undefined, planFile: string) {
  return {
    uploaded: outcome?.done.length ?? 0,
    unchanged: plan.unchanged.length,
    deleted: outcome?.deleted.length ?? 0,
    'bytes-uploaded': outcome?.bytesUploaded ?? 0,
    'invalidation-id': outcome?.invalidationId ?? '',
    'invalidation-status': outcome?.invalidationStatus ?? '',
    'invalidation-paths': outcome?.invalidationId ? outcome.invalidationPaths.join(' ') : '',
    'carried-invalidation-paths': outcome?.invalidationId ? outcome.carriedPaths.join(' ') : '',
    'pending-invalidation-paths': outcome?.pendingPaths.join(' ') ?? '',
    plan: planFile,
  };
}

export function writePlanFile(plan: UploadPlan, meta: Record<string, unknown>): string {
  const file = join(process.env.RUNNER_TEMP || tmpdir(), `deploy-frontend-plan-${process.pid}.json`);
  const body = {
    ...meta,
    changes: plan.changes.map(
      ({ key, method, reason, phase, size, cacheControl, contentType, recognisedBy, longLived }) => ({
        key,
        action: method === 'put' ? 'upload' : 'update-headers',
        reason,
        phase,
        size,
        cacheControl,
        contentType,
        ...(recognisedBy ? { recognisedBy } : {}),
        ...(longLived ? { changedUnderLongLivedName: true } : {}),
      }),
    ),
    unchanged: plan.unchanged,
    deletes: plan.deletes,
    kept: plan.kept,
    outsideRules: plan.outsideRules,
    changedLongLived: plan.changedLongLived,
    invalidationPaths: plan.invalidationPaths,
    bytesToUpload: plan.bytesToUpload,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}
