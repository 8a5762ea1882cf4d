import type { Manifest } from './s3-manifest.js';
import { planDeploy, type LocalObject, type UploadPlan } from './upload-plan.js';

/**
 * The pull-request check's decision, made by the deploy's own planner: the site at the head of the pull request
 * deployed onto a bucket that holds the base branch's site, each base file with the headers the same rules give it.
 * So a change the check calls long-lived is exactly one the deploy would refuse (once the base branch is live). Pure.
 */
export function planAgainstBase(head: LocalObject[], base: LocalObject[]): UploadPlan {
  const manifest: Manifest = {
    version: 1,
    objects: Object.fromEntries(
      base.map((file) => [
        file.key,
        {
          etag: file.md5,
          sha256: file.sha256,
          size: file.size,
          cacheControl: file.cacheControl,
          contentType: file.contentType,
        },
      ]),
    ),
  };
  return planDeploy({
    local: head,
    remote: base.map((file) => ({ key: file.key, etag: file.md5, size: file.size })),
    manifest,
    // Removed files are listed as deletions, whatever the deploy's `delete` says: the check only reports them.
    deleteRemoved: true,
    reserved: new Set(),
  });
}
