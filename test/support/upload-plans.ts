import type { Change, UploadPlan } from '../../actions/deploy-frontend/upload-plan.js';

/** Changes and plans for tests of how a frontend deploy is reported. */
export const change = (i: number, extra: Partial<Change> = {}): Change => ({
  key: `js/app-${i}.js`,
  method: 'put',
  reason: 'new',
  phase: 'asset',
  size: 2048,
  cacheControl: 'public, max-age=31536000, immutable',
  contentType: 'text/javascript; charset=utf-8',
  ...extra,
});

export const plan = (changes: Change[], extra: Partial<UploadPlan> = {}): UploadPlan => ({
  changes,
  unchanged: ['index.html'],
  deletes: [],
  kept: [],
  outsideRules: [],
  changedLongLived: [],
  needsHead: [],
  invalidationPaths: [],
  bytesToUpload: changes.reduce((s, c) => s + c.size, 0),
  ...extra,
});
