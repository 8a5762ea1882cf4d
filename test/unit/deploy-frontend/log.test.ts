import type { Outcome } from '../../../actions/deploy-frontend/outcome.js';
import {
  changedLongLivedRefusal,
  changedLongLivedWarning,
  changeLine,
  pagesByContentLine,
  failureReason,
  fileWarnings,
  formatBytes,
  uploadProgressLine,
  planLines,
} from '../../../actions/deploy-frontend/log.js';
import { change, plan } from '../../support/upload-plans.js';

describe('deploy-frontend log lines', () => {
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

  it('says what a stop means for the live site, by the step it stopped at', () => {
    const base: Outcome = {
      done: [],
      failed: [],
      notStarted: [change(3)],
      deleted: [],
      bytesUploaded: 0,
      invalidationPaths: [],
      carriedPaths: [],
      pendingPaths: [],
    };
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

describe('long-lived names and pages by content', () => {
  it('refuses in one line naming every file, the remedy and the input that allows it', () => {
    const message = changedLongLivedRefusal([
      change(1, { key: 'js/cart-0.0.1.js', reason: 'content changed', longLived: true }),
      change(2, { key: 'css/main-0.0.2.css', reason: 'content changed', longLived: true }),
    ]);
    expect(message).toContain('js/cart-0.0.1.js, css/main-0.0.2.css');
    expect(message).toContain('js/cart-0.0.2.js');
    expect(message).toContain("'changed-immutable: warn'");
    expect(message).toContain('nothing was written');
    expect(message).not.toContain('\n');
  });

  it('tells a content-hashed name to take the hash of its new content, not a version bump', () => {
    const message = changedLongLivedRefusal([
      change(1, { key: 'js/app.3f9a2c1b.js', reason: 'content changed', longLived: true }),
    ]);
    expect(message).toContain('js/app.3f9a2c1b.js');
    expect(message).toContain('Rename each with a new content hash');
    expect(message).toContain('js/app.<new hash>.js');
    expect(message).not.toContain('bump its version');
  });

  it('warns that browsers may keep the old copy, for how long, and whether CloudFront was invalidated', () => {
    const changed = [change(1, { key: 'js/cart-0.0.1.js', longLived: true })];
    expect(changedLongLivedWarning(changed, true)).toMatch(
      /CloudFront is invalidated for them, but browsers that cached them may keep the old copy for up to 1 year/,
    );
    expect(changedLongLivedWarning(changed, false)).toContain('No CloudFront distribution was given');
  });

  it('lists the pages recognised by content, or says nothing', () => {
    expect(pagesByContentLine(['about', 'cart'])).toBe(
      '2 extensionless file(s) recognised as HTML pages by their content: about, cart',
    );
    expect(pagesByContentLine([])).toBeUndefined();
  });
});
