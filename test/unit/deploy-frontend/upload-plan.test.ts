import { emptyManifest, type Manifest } from '../../../actions/deploy-frontend/s3-manifest.js';
import {
  knownSha256,
  nextManifest,
  planDeploy,
  type HeadInfo,
  type LocalObject,
  type PlanInput,
  type RemoteObject,
} from '../../../actions/deploy-frontend/upload-plan.js';

const HTML = 'no-cache, must-revalidate';
const YEAR = 'public, max-age=31536000, immutable';
const HOUR = 'public, max-age=3600';

function local(key: string, md5: string, cacheControl: string, contentType = 'text/plain', size = 10): LocalObject {
  return { key, absolutePath: `/src/${key}`, size, md5, sha256: `sha-${md5}`, cacheControl, contentType };
}

const site = [
  local('index.html', 'a'.repeat(32), HTML, 'text/html; charset=utf-8'),
  local('js/index-0.0.3.js', 'b'.repeat(32), YEAR, 'text/javascript; charset=utf-8'),
  local('img/logo.png', 'c'.repeat(32), HOUR, 'image/png'),
];
const listed = (files: LocalObject[]): RemoteObject[] => files.map((f) => ({ key: f.key, etag: f.md5, size: f.size }));
const recorded = (files: LocalObject[]): Manifest => ({
  version: 1,
  objects: Object.fromEntries(
    files.map((f) => [
      f.key,
      { etag: f.md5, sha256: f.sha256, size: f.size, cacheControl: f.cacheControl, contentType: f.contentType },
    ]),
  ),
});
const input = (overrides: Partial<PlanInput>): PlanInput => ({
  local: site,
  remote: [],
  manifest: emptyManifest(),
  deleteRemoved: false,
  reserved: new Set(['.deploy-manifest.json']),
  ...overrides,
});

describe('planDeploy', () => {
  it('uploads everything to an empty bucket, assets before HTML', () => {
    const plan = planDeploy(input({}));
    expect(plan.changes.map((c) => [c.key, c.reason, c.phase])).toEqual([
      ['js/index-0.0.3.js', 'new', 'asset'],
      ['img/logo.png', 'new', 'asset'],
      ['index.html', 'new', 'entry-point'],
    ]);
    expect(plan.bytesToUpload).toBe(30);
    expect(plan.needsHead).toEqual([]);
  });

  it('uploads nothing when listing ETags and the manifest match, whatever the local mtimes', () => {
    const plan = planDeploy(input({ remote: listed(site), manifest: recorded(site) }));
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toHaveLength(3);
    expect(plan.needsHead).toEqual([]);
  });

  it('uploads only the file whose content changed, even at the same size', () => {
    const changed = [site[0]!, { ...site[1]!, md5: 'd'.repeat(32), sha256: 'other' }, site[2]!];
    const plan = planDeploy(input({ local: changed, remote: listed(site), manifest: recorded(site) }));
    expect(plan.changes.map((c) => [c.key, c.method, c.reason])).toEqual([
      ['js/index-0.0.3.js', 'put', 'content changed'],
    ]);
  });

  it('re-applies changed headers with a copy instead of an upload when the content is the same', () => {
    const newRules = site.map((f) => (f.key === 'img/logo.png' ? { ...f, cacheControl: 'public, max-age=60' } : f));
    const plan = planDeploy(input({ local: newRules, remote: listed(site), manifest: recorded(site) }));
    expect(plan.changes).toEqual([
      expect.objectContaining({
        key: 'img/logo.png',
        method: 'copy',
        reason: 'headers changed',
        previous: { cacheControl: HOUR, contentType: 'image/png' },
      }),
    ]);
    expect(plan.bytesToUpload).toBe(0);
  });

  it('asks for a HEAD only where the manifest cannot tell the headers, then decides from it', () => {
    const manifest = recorded(site.slice(0, 2));
    const first = planDeploy(input({ remote: listed(site), manifest }));
    expect(first.needsHead).toEqual(['img/logo.png']);
    expect(first.unchanged).toEqual(['index.html', 'js/index-0.0.3.js']);

    const heads = new Map<string, HeadInfo>([
      ['img/logo.png', { etag: 'c'.repeat(32), cacheControl: HOUR, contentType: 'image/png' }],
    ]);
    const second = planDeploy(input({ remote: listed(site), manifest, heads }));
    expect(second.needsHead).toEqual([]);
    expect(second.unchanged).toContain('img/logo.png');
  });

  it('does not trust a manifest entry whose ETag no longer matches the listing', () => {
    const manifest = recorded(site);
    manifest.objects['img/logo.png']!.etag = 'f'.repeat(32);
    expect(planDeploy(input({ remote: listed(site), manifest })).needsHead).toEqual(['img/logo.png']);
  });

  it('compares objects with a non-MD5 ETag (multipart, SSE-KMS) by the recorded SHA-256', () => {
    const remote = listed(site).map((o) => (o.key === 'img/logo.png' ? { ...o, etag: '0123abcd-3' } : o));
    const manifest = recorded(site);
    manifest.objects['img/logo.png']!.etag = '0123abcd-3';
    expect(planDeploy(input({ remote, manifest })).unchanged).toContain('img/logo.png');

    const changed = site.map((f) => (f.key === 'img/logo.png' ? { ...f, sha256: 'new' } : f));
    expect(planDeploy(input({ local: changed, remote, manifest })).changes.map((c) => c.key)).toEqual(['img/logo.png']);
  });

  it('uses the sha256 metadata of a HEAD for a non-MD5 ETag without a manifest entry', () => {
    const remote = listed(site).map((o) => (o.key === 'img/logo.png' ? { ...o, etag: '0123abcd-3' } : o));
    const manifest = recorded(site.slice(0, 2));
    const head = { etag: '0123abcd-3', cacheControl: HOUR, contentType: 'image/png', sha256: site[2]!.sha256 };
    expect(planDeploy(input({ remote, manifest })).needsHead).toEqual(['img/logo.png']);
    const plan = planDeploy(input({ remote, manifest, heads: new Map([['img/logo.png', head]]) }));
    expect(plan.unchanged).toContain('img/logo.png');
    const noHash = planDeploy(
      input({ remote, manifest, heads: new Map([['img/logo.png', { ...head, sha256: undefined }]]) }),
    );
    expect(noHash.changes.map((c) => [c.key, c.reason])).toEqual([['img/logo.png', 'content changed']]);
  });

  it('deletes objects no longer in the source only when asked, never the manifest', () => {
    const remote = [...listed(site), { key: 'js/index-0.0.2.js', etag: 'e'.repeat(32), size: 5 }];
    const keep = planDeploy(input({ remote, manifest: recorded(site) }));
    expect(keep.deletes).toEqual([]);
    expect(keep.kept).toEqual(['js/index-0.0.2.js']);
    const remoteWithManifest = [...remote, { key: '.deploy-manifest.json', etag: '1'.repeat(32), size: 9 }];
    const remove = planDeploy(input({ remote: remoteWithManifest, manifest: recorded(site), deleteRemoved: true }));
    expect(remove.deletes).toEqual(['js/index-0.0.2.js']);
  });

  it('invalidates what can be cached stale: changed-in-place files and new entry points, not new assets', () => {
    const changed = [
      { ...site[0]!, md5: '1'.repeat(32) },
      site[1]!,
      { ...site[2]!, md5: '2'.repeat(32) },
      local('js/index-0.0.4.js', '3'.repeat(32), YEAR),
      local('new.html', '4'.repeat(32), HTML),
    ];
    const plan = planDeploy(input({ local: changed, remote: listed(site), manifest: recorded(site) }));
    expect(plan.invalidationPaths).toEqual(['/', '/img/logo.png', '/index.html', '/new.html']);
  });
});

describe('nextManifest', () => {
  it('records uploaded keys with their new ETag and unchanged ones with the listed ETag, nothing for failures', () => {
    const plan = planDeploy(input({ remote: listed(site).slice(0, 1), manifest: recorded(site.slice(0, 1)) }));
    const done = new Map([['js/index-0.0.3.js', 'e'.repeat(32)]]);
    const manifest = nextManifest(site, listed(site).slice(0, 1), plan, done);
    expect(Object.keys(manifest.objects).sort()).toEqual(['index.html', 'js/index-0.0.3.js']);
    expect(manifest.objects['js/index-0.0.3.js']).toEqual({
      etag: 'e'.repeat(32),
      sha256: site[1]!.sha256,
      size: 10,
      cacheControl: YEAR,
      contentType: 'text/javascript; charset=utf-8',
    });
  });
});

describe('knownSha256', () => {
  it('takes the recorded SHA-256 only where the MD5 ETag proves the content is the recorded one', () => {
    const drafts = site.map(({ sha256: _sha, ...draft }) => draft);
    const remote = listed(site).map((o) => (o.key === 'img/logo.png' ? { ...o, etag: 'f'.repeat(32) } : o));
    const manifest = recorded(site);
    delete manifest.objects['index.html'];
    expect([...knownSha256(drafts, remote, manifest)]).toEqual([['js/index-0.0.3.js', site[1]!.sha256]]);
  });
});

describe('planDeploy: pages, long-lived names and what delete may touch (issue 12)', () => {
  const page = {
    ...local('about', 'd'.repeat(32), HTML, 'text/html; charset=utf-8'),
    recognisedBy: 'content' as const,
  };

  it('puts a page recognised by its content after every asset and invalidates it', () => {
    const plan = planDeploy(input({ local: [...site, page] }));
    expect(plan.changes.at(-1)).toMatchObject({ key: 'about', phase: 'entry-point', recognisedBy: 'content' });
    expect(plan.changes.filter((c) => c.phase === 'asset').map((c) => c.key)).not.toContain('about');
    expect(plan.invalidationPaths).toContain('/about');
  });

  it('marks content changed under an immutable or day-long name, and only that', () => {
    const changed = site.map((f) => ({ ...f, md5: 'e'.repeat(32), sha256: 'sha-e' }));
    const plan = planDeploy(input({ local: changed, remote: listed(site), manifest: recorded(site) }));
    expect(plan.changedLongLived).toEqual(['js/index-0.0.3.js']);
    expect(plan.changes.find((c) => c.key === 'img/logo.png')?.longLived).toBeUndefined();
  });

  it('counts a long-lived Cache-Control the object carried, even when the new rules are short', () => {
    const old = [{ ...site[2]!, cacheControl: 'public, max-age=604800' }];
    const now = [{ ...site[2]!, md5: 'e'.repeat(32), sha256: 'sha-e' }];
    const plan = planDeploy(input({ local: now, remote: listed(old), manifest: recorded(old) }));
    expect(plan.changedLongLived).toEqual(['img/logo.png']);
  });

  it('does not count a header-only change, or content a HEAD without a hash cannot compare', () => {
    const headers = planDeploy(
      input({ local: site, remote: listed(site), manifest: recorded(site.map((f) => ({ ...f, cacheControl: 'x' }))) }),
    );
    expect(headers.changes.map((c) => c.method)).toEqual(['copy', 'copy', 'copy']);
    expect(headers.changedLongLived).toEqual([]);
    const multipart = [{ key: 'js/index-0.0.3.js', etag: `${'f'.repeat(32)}-2`, size: 10 }];
    const heads = new Map<string, HeadInfo>([['js/index-0.0.3.js', { etag: multipart[0]!.etag, cacheControl: YEAR }]]);
    const unproven = planDeploy(input({ local: [site[1]!], remote: multipart, heads }));
    expect(unproven.changes).toMatchObject([{ key: 'js/index-0.0.3.js', method: 'put', reason: 'content changed' }]);
    expect(unproven.changedLongLived).toEqual([]);
  });

  it('deletes only keys the include/exclude rules cover; the rest is left alone and listed', () => {
    const remote = [
      ...listed(site),
      { key: 'js/old.js', etag: 'x', size: 1 },
      { key: 'legacy/a.html', etag: 'y', size: 1 },
    ];
    const plan = planDeploy(
      input({ remote, manifest: recorded(site), deleteRemoved: true, covered: (key) => key.startsWith('js/') }),
    );
    expect(plan.deletes).toEqual(['js/old.js']);
    expect(plan.outsideRules).toEqual(['legacy/a.html']);
  });

  it('records pending invalidations in the next manifest only when there are some', () => {
    const plan = planDeploy(input({}));
    expect(nextManifest(site, [], plan, new Map(), {})).not.toHaveProperty('pendingInvalidations');
    expect(nextManifest(site, [], plan, new Map(), { E1: ['/a'] }).pendingInvalidations).toEqual({ E1: ['/a'] });
  });
});
