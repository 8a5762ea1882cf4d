import type { Outcome } from '../../../actions/deploy-frontend/execute.js';
import {
  buildSummary,
  changeLine,
  failureReason,
  fileWarnings,
  formatBytes,
  uploadProgressLine,
  outputsOf,
  planLines,
} from '../../../actions/deploy-frontend/report.js';
import type { Change, UploadPlan } from '../../../actions/shared/upload-plan.js';

const change = (i: number, extra: Partial<Change> = {}): Change => ({
  key: `js/app-${i}.js`,
  method: 'put',
  reason: 'new',
  phase: 'asset',
  size: 2048,
  cacheControl: 'public, max-age=31536000, immutable',
  contentType: 'text/javascript; charset=utf-8',
  ...extra,
});

const plan = (changes: Change[], extra: Partial<UploadPlan> = {}): UploadPlan => ({
  changes,
  unchanged: ['index.html'],
  deletes: [],
  kept: [],
  needsHead: [],
  invalidationPaths: [],
  bytesToUpload: changes.reduce((s, c) => s + c.size, 0),
  ...extra,
});

describe('deploy-frontend report', () => {
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(46 * 1024 * 1024)).toBe('46.0 MiB');
  });

  it('says how far an upload phase got, in files and bytes', () => {
    expect(
      uploadProgressLine('assets', { files: 812, bytes: 19 * 1024 * 1024 }, { files: 2000, bytes: 46 * 1024 * 1024 }),
    ).toBe('Uploading assets: 812 of 2000 done, 19.0 MiB of 46.0 MiB');
    // a phase of header-only rewrites sends no bytes
    expect(uploadProgressLine('entry points', { files: 1, bytes: 0 }, { files: 3, bytes: 0 })).toBe(
      'Uploading entry points: 1 of 3 done',
    );
  });

  it('prints each planned change with its reason and headers', () => {
    expect(changeLine(change(1))).toBe(
      '+ js/app-1.js (new; 2.0 KiB, public, max-age=31536000, immutable, text/javascript; charset=utf-8)',
    );
    expect(
      changeLine(change(2, { method: 'copy', reason: 'headers changed', previous: { cacheControl: 'max-age=1' } })),
    ).toBe('~ js/app-2.js (headers changed; headers only: max-age=1 -> public, max-age=31536000, immutable)');
    expect(planLines(plan([], { deletes: ['old.js'], kept: [] }))).toEqual([
      '- old.js (not in source)',
      '  1 unchanged',
    ]);
  });

  it('lists the first 50 changed files in the summary, then a count, with the rules in force', () => {
    const changes = Array.from({ length: 60 }, (_, i) => change(i));
    const text = buildSummary({
      bucket: 'b-1',
      prefix: '',
      dryRun: false,
      plan: plan(changes),
      outcome: { done: changes, failed: [], notStarted: [], deleted: [], bytesUploaded: 60 * 2048 },
      rules: ['Cache-Control  **/*.html: no-cache'],
    }).render();
    expect(text).toContain('## Frontend deployed to s3://b-1/');
    expect(text).toContain('`js/app-49.js`');
    expect(text).not.toContain('`js/app-50.js`');
    expect(text).toContain('…and 10 more.');
    expect(text).toContain('Cache-Control  **/*.html: no-cache');
    expect(text).toMatch(/\*\*Uploaded\*\* \| 60/);
  });

  it('says what failed and that the live HTML was left alone', () => {
    const failed = change(1);
    const text = buildSummary({
      bucket: 'b-1',
      prefix: 'site/',
      dryRun: false,
      plan: plan([failed, change(2, { key: 'index.html', phase: 'entry-point' })]),
      outcome: {
        done: [],
        failed: [{ change: failed, message: 'InternalError (HTTP 500), 5 attempt(s)' }],
        notStarted: [],
        deleted: [],
        bytesUploaded: 0,
        stoppedAt: 'assets',
        error: '1 upload(s) failed after every attempt',
      },
      rules: [],
    }).render();
    expect(text).toContain('## Frontend deploy to s3://b-1/site/ failed');
    expect(text).toContain('No HTML was uploaded and nothing was deleted');
    expect(text).toContain('`js/app-1.js`: InternalError (HTTP 500), 5 attempt(s)');
  });

  it('counts header-only updates as uploaded but sends no bytes for them; a dry run reports nothing written', () => {
    const put = change(1);
    const copy = change(2, { method: 'copy', reason: 'headers changed' });
    const planned = { ...plan([put, copy]), unchanged: ['a', 'b'] };
    const outcome: Outcome = { done: [put, copy], failed: [], notStarted: [], deleted: ['old'], bytesUploaded: 100 };
    expect(outputsOf(planned, outcome, '/tmp/plan.json')).toEqual({
      uploaded: 2,
      unchanged: 2,
      deleted: 1,
      'bytes-uploaded': 100,
      'invalidation-id': '',
      plan: '/tmp/plan.json',
    });
    expect(outputsOf(planned, undefined, '/tmp/plan.json')).toMatchObject({
      uploaded: 0,
      deleted: 0,
      'bytes-uploaded': 0,
    });
  });

  it('says what a stop means for the live site, by the step it stopped at', () => {
    const base: Outcome = { done: [], failed: [], notStarted: [change(3)], deleted: [], bytesUploaded: 0 };
    expect(failureReason({ ...base, stoppedAt: 'assets', error: 'cancelled' })).toBe(
      'cancelled. No HTML was uploaded and nothing was deleted: the live site still serves the previous version. 1 change(s) not attempted.',
    );
    expect(
      failureReason({ ...base, notStarted: [], stoppedAt: 'invalidation', error: 'CloudFront invalidation failed' }),
    ).toBe('CloudFront invalidation failed. Nothing was deleted.');
  });

  it('warns once per skipped entry and once for all files of unknown type, naming at most ten', () => {
    const unknown = Array.from({ length: 12 }, (_, i) => `f${i}.zzz`);
    const warnings = fileWarnings([{ path: 'leak', reason: 'broken symlink' }], unknown);
    expect(warnings.map(([title]) => title)).toEqual(['File skipped', 'Unknown file type']);
    expect(warnings[0]![1]).toBe("Skipped 'leak': broken symlink");
    expect(warnings[1]![1]).toContain('12 file(s)');
    expect(warnings[1]![1]).toContain('f9.zzz, …');
    expect(warnings[1]![1]).not.toContain('f10.zzz');
    expect(fileWarnings([], [])).toEqual([]);
  });
});
