import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startS3Server, type S3Sandbox } from '../../sandbox/s3/index.js';
import { startSimulator, type Simulator } from '../../sandbox/sim/index.js';
import { runBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import {
  ALL_FILES,
  contentOf,
  EXTENSIONLESS_PAGES,
  FRAGMENTS,
  HTML_PAGES,
  SITE_FILES,
  TODAYS_INCLUDE,
  TOOLING_FILES,
  writeStartupWebAppSite,
} from '../support/startupwebapp-site.js';

/**
 * deploy-frontend on a site shaped like the StartupWebApp client repository (issue 12): extensionless pages, fragments,
 * versioned js/css edited in place, images, and the repository's tooling files beside the site.
 */

// Safety nets only (each test waits on the runs it starts): several full deploys per test on a busy 2-core machine.
jest.setTimeout(240_000);

const DISTRIBUTION = 'E1HZ3V09L2NDK1';
const PAGE = ['no-cache, must-revalidate', 'text/html; charset=utf-8'];
const REVALIDATE = 'public, max-age=0, must-revalidate';
const YEAR = 'public, max-age=31536000, immutable';
/** A content-hashed bundle added to the client's site, as a build step would name it. */
const HASHED = 'js/vendor.3f9a2c1b.js';
const WRITES = ['PutObject', 'CopyObject', 'DeleteObjects', 'DeleteObject', 'UploadPart', 'CreateMultipartUpload'];

/** The headers every published file must carry, by kind. */
function expectedHeaders(path: string): string[] {
  if (EXTENSIONLESS_PAGES.includes(path) || HTML_PAGES.includes(path) || FRAGMENTS.includes(path)) return PAGE;
  // none of the client's names carries a content hash: every js/css file revalidates
  if (path.endsWith('.js')) return [REVALIDATE, 'text/javascript; charset=utf-8'];
  if (path.endsWith('.css')) return [REVALIDATE, 'text/css; charset=utf-8'];
  if (path.endsWith('.png')) return ['public, max-age=3600', 'image/png'];
  if (path.endsWith('.jpg')) return ['public, max-age=3600', 'image/jpeg'];
  if (path === 'robots.txt') return ['public, max-age=3600', 'text/plain; charset=utf-8'];
  if (path === 'sitemap.xml') return ['public, max-age=3600', 'application/xml; charset=utf-8'];
  throw new Error(`no expectation for ${path}`);
}

const isPage = (path: string) => expectedHeaders(path) === PAGE;

let s3: S3Sandbox;
let client: S3Client;
let sim: Simulator;
let buckets = 0;
const temps: string[] = [];

function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'swa-site-'));
  temps.push(dir);
  writeStartupWebAppSite(dir);
  return dir;
}

async function newBucket(): Promise<string> {
  const name = `swa-${++buckets}`;
  await s3.createBucket(name);
  return name;
}

/** What the example workflow passes: today's allow-list, delete, the distribution, and waiting for the invalidation. */
const TODAY = {
  include: TODAYS_INCLUDE.join('\n'),
  delete: true,
  'cloudfront-distribution-id': DISTRIBUTION,
  'wait-for-invalidation': true,
  'poll-interval-seconds': 0.05,
};

function deploy(inputs: Record<string, string | number | boolean>, env: Record<string, string> = {}) {
  return runBundle('deploy-frontend', {
    inputs: { 'max-attempts': 2, ...inputs },
    env: { ...s3.env(), AWS_ENDPOINT_URL_CLOUDFRONT: sim.url, ...env },
    timeoutMs: 120_000,
  });
}

function expectSuccess(result: BundleResult) {
  if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
}

function ops(bucket: string, ...operations: string[]) {
  return s3.requests.filter(
    (r) => r.bucket === bucket && (operations.length === 0 || operations.includes(r.operation)),
  );
}

async function keysOf(bucket: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

async function headersOf(bucket: string, key: string): Promise<string[]> {
  const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return [out.CacheControl ?? '', out.ContentType ?? ''];
}

async function manifestOf(bucket: string) {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: '.deploy-manifest.json' }));
  return JSON.parse(await out.Body!.transformToString());
}

beforeAll(async () => {
  s3 = await startS3Server();
  // 10 simulated seconds for an invalidation to complete = 0.2 s
  sim = await startSimulator({ timeScale: 0.02 });
  client = s3.client();
});

afterAll(async () => {
  client.destroy();
  await sim.stop();
  await s3.stop();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  s3.faults.clear();
  sim.faults.clear();
});

describe('first deploy with today’s allow-list, then a redeploy', () => {
  let bucket: string;
  let first: BundleResult;

  beforeAll(async () => {
    bucket = await newBucket();
    first = await deploy({ source: repository(), bucket, ...TODAY });
  });

  it('publishes exactly the site, none of the repository’s tooling', async () => {
    expectSuccess(first);
    expect(first.outputs).toMatchObject({ uploaded: String(SITE_FILES.length), deleted: '0' });
    expect(await keysOf(bucket)).toEqual([...SITE_FILES, '.deploy-manifest.json'].sort());
    expect(ops(bucket, 'PutObject').map((r) => r.key)).not.toEqual(expect.arrayContaining([TOOLING_FILES[0]]));
  });

  it('gives every object its Content-Type and Cache-Control: extensionless pages are HTML pages', async () => {
    for (const path of SITE_FILES) {
      expect([path, ...(await headersOf(bucket, path))]).toEqual([path, ...expectedHeaders(path)]);
    }
    expect(first.warnings.map((w) => w.title)).not.toContain('Unknown file type');
  });

  it('uploads every page after every asset', () => {
    const keys = ops(bucket, 'PutObject')
      .map((r) => r.key!)
      .filter((key) => key !== '.deploy-manifest.json');
    const firstPage = keys.findIndex(isPage);
    expect(firstPage).toBeGreaterThan(0);
    expect(keys.slice(0, firstPage).some(isPage)).toBe(false);
    expect(keys.slice(firstPage).every(isPage)).toBe(true);
  });

  it('shows in the log, the plan and the summary which files were recognised as pages by their content', () => {
    const plan = JSON.parse(readFileSync(first.outputs.plan!, 'utf8'));
    expect(plan.pagesByContent).toEqual([...EXTENSIONLESS_PAGES].sort());
    expect(plan.changes.find((c: { key: string }) => c.key === 'about')).toMatchObject({
      phase: 'entry-point',
      contentType: 'text/html; charset=utf-8',
      recognisedBy: 'content',
    });
    expect(first.stdout).toContain('22 extensionless file(s) recognised as HTML pages by their content');
    expect(first.summary).toContain('Recognised as pages by content');
    expect(first.summary).toContain('`checkout/confirm`');
  });

  it('invalidates the new pages and waits for the invalidation to complete, saying how it goes', () => {
    expect(first.outputs['invalidation-id']).toMatch(/^I[A-Z0-9]+$/);
    expect(first.outputs['invalidation-status']).toBe('Completed');
    expect(sim.calls('GetInvalidation').length).toBeGreaterThan(0);
    expect(first.lines.some((l) => /Invalidation I[A-Z0-9]+: Completed after /.test(l))).toBe(true);
    expect(first.summary).toContain('Completed');
  });

  it('uploads and invalidates nothing on a redeploy of a fresh checkout', async () => {
    s3.clearRequests();
    const invalidations = sim.calls('CreateInvalidation').length;
    const again = await deploy({ source: repository(), bucket, ...TODAY });
    expectSuccess(again);
    expect(again.outputs).toMatchObject({ uploaded: '0', unchanged: String(SITE_FILES.length), deleted: '0' });
    expect(ops(bucket, ...WRITES)).toEqual([]);
    expect(sim.calls('CreateInvalidation')).toHaveLength(invalidations);
    expect(again.outputs['invalidation-id']).toBe('');
  });
});

describe('publishing only the site', () => {
  it('without include, names the repository’s tooling files in one warning with the inputs that leave them out', async () => {
    const bucket = await newBucket();
    const result = await deploy({ source: repository(), bucket });
    expectSuccess(result);
    const tooling = result.warnings.filter((w) => w.title === 'Repository files in the site');
    expect(tooling).toHaveLength(1);
    const published = TOOLING_FILES.filter((path) => !path.startsWith('.'));
    for (const path of published) expect(tooling[0]!.message).toContain(path);
    expect(tooling[0]!.message).toContain("'include'");
    expect(tooling[0]!.message).toContain('unittests/**');
    expect(await keysOf(bucket)).toEqual(expect.arrayContaining(published));
  });

  it('with include, publishes only what it matches, still leaves out what exclude names, and warns of nothing', async () => {
    const bucket = await newBucket();
    const result = await deploy({
      source: repository(),
      bucket,
      include: TODAYS_INCLUDE.join('\n'),
      exclude: 'img/product/**',
    });
    expectSuccess(result);
    const expected = SITE_FILES.filter((path) => !path.startsWith('img/product/'));
    expect(await keysOf(bucket)).toEqual([...expected, '.deploy-manifest.json'].sort());
    expect(result.warnings.map((w) => w.title)).not.toContain('Repository files in the site');
  });

  it('with delete, deletes only objects the include/exclude rules cover; every other object is left alone', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy({ source: repository(), bucket, ...TODAY }));
    const strays = {
      'js/old-0.0.0.js': true, // covered by js/** and gone from the source: deleted
      'img/product/old.jpg': false, // excluded by this run: never touched
      'legacy/page.html': false, // outside the include list: never touched
      'README.md': false, // outside the include list: never touched
    };
    for (const key of Object.keys(strays)) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'stray' }));
    }
    s3.clearRequests();
    const result = await deploy({ source: repository(), bucket, ...TODAY, exclude: 'img/product/old.jpg' });
    expectSuccess(result);
    expect(result.outputs.deleted).toBe('1');
    const keys = await keysOf(bucket);
    for (const [key, deleted] of Object.entries(strays)) expect([key, keys.includes(key)]).toEqual([key, !deleted]);
    expect(result.stdout).toContain(
      '3 object(s) not in the source are outside the include/exclude rules and left alone',
    );
  });
});

describe('a "versioned" asset edited in place, and a content-hashed one', () => {
  /** The client's site with one content-hashed bundle added, deployed with today's inputs. */
  async function deployedBucket(): Promise<string> {
    const bucket = await newBucket();
    expectSuccess(await deploy({ source: withHashed(repository()), bucket, ...TODAY }));
    return bucket;
  }

  function withHashed(site: string, version = 1): string {
    writeFileSync(join(site, HASHED), `// vendor bundle, build ${version}\n`.repeat(200));
    return site;
  }

  /** What the client team commits: js/cart-0.0.1.js, css/main-0.0.2.css and the cart page edited under their names. */
  function editedInPlace(site = repository(), version = 2): string {
    writeFileSync(join(site, 'js/cart-0.0.1.js'), contentOf('js/cart-0.0.1.js', version));
    writeFileSync(join(site, 'css/main-0.0.2.css'), contentOf('css/main-0.0.2.css', version));
    writeFileSync(join(site, 'cart'), contentOf('cart', version));
    return site;
  }

  it('gives the content-hashed bundle a year and every versioned name a revalidating Cache-Control', async () => {
    const bucket = await deployedBucket();
    expect(await headersOf(bucket, HASHED)).toEqual([YEAR, 'text/javascript; charset=utf-8']);
    expect(await headersOf(bucket, 'js/cart-0.0.1.js')).toEqual([REVALIDATE, 'text/javascript; charset=utf-8']);
  });

  it('deploys an in-place edit of js/cart-0.0.1.js with changed-immutable: fail, revalidated and invalidated', async () => {
    const bucket = await deployedBucket();
    s3.clearRequests();
    const result = await deploy({ source: withHashed(editedInPlace()), bucket, ...TODAY });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ uploaded: '3', 'invalidation-status': 'Completed' });
    const put = ops(bucket, 'PutObject').map((r) => r.key);
    expect(put).toEqual(expect.arrayContaining(['js/cart-0.0.1.js', 'css/main-0.0.2.css', 'cart']));
    // the script and the stylesheet are assets: in place before the page that loads them
    expect(put.indexOf('cart')).toBeGreaterThan(put.indexOf('js/cart-0.0.1.js'));
    expect(put.indexOf('cart')).toBeGreaterThan(put.indexOf('css/main-0.0.2.css'));
    const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'js/cart-0.0.1.js' }));
    expect(stored.CacheControl).toBe(REVALIDATE);
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(contentOf('js/cart-0.0.1.js', 2));
    const invalidated = sim.calls('CreateInvalidation').at(-1)!.input as {
      InvalidationBatch: { Paths: { Items: string[] } };
    };
    expect(invalidated.InvalidationBatch.Paths.Items.sort()).toEqual([
      '/cart',
      '/css/main-0.0.2.css',
      '/js/cart-0.0.1.js',
    ]);
    expect(result.warnings.map((w) => w.title)).not.toContain('Changed under a long-lived name');
  });

  it('after an in-place edit deployed, refuses a second edit that changes a content-hashed name, writing nothing', async () => {
    const bucket = await deployedBucket();
    expectSuccess(await deploy({ source: withHashed(editedInPlace()), bucket, ...TODAY }));
    s3.clearRequests();
    const invalidations = sim.calls('CreateInvalidation').length;
    const result = await deploy({ source: withHashed(editedInPlace(repository(), 3), 2), bucket, ...TODAY });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    const message = result.errors[0]!.message;
    expect(message).toContain(HASHED);
    expect(message).not.toContain('cart-0.0.1.js');
    expect(message).toContain('new content hash');
    expect(message).toContain('js/vendor.<new hash>.js');
    expect(message).not.toContain('\n');
    // not even the in-place edits that would be fine on their own
    expect(ops(bucket, ...WRITES)).toEqual([]);
    expect(sim.calls('CreateInvalidation')).toHaveLength(invalidations);
    expect((await headersOf(bucket, HASHED))[0]).toBe(YEAR);
  });

  it('uploads it with changed-immutable: warn, invalidating its path, and warns about browsers', async () => {
    const bucket = await deployedBucket();
    s3.clearRequests();
    const result = await deploy({
      source: withHashed(repository(), 2),
      bucket,
      ...TODAY,
      'changed-immutable': 'warn',
    });
    expectSuccess(result);
    expect(result.outputs.uploaded).toBe('1');
    const invalidated = sim.calls('CreateInvalidation').at(-1)!.input as {
      InvalidationBatch: { Paths: { Items: string[] } };
    };
    expect(invalidated.InvalidationBatch.Paths.Items).toEqual([`/${HASHED}`]);
    const warning = result.warnings.find((w) => w.title === 'Changed under a long-lived name');
    expect(warning?.message).toContain(HASHED);
    expect(warning?.message).toMatch(/browsers .* may keep the old copy for up to 1 year/);
  });

  it('is not a change when only the headers differ: a bucket filled by `aws s3 sync` is taken over without a refusal', async () => {
    const bucket = await newBucket();
    // what `aws s3 sync` leaves: the bytes, no Cache-Control, types guessed by extension (extensionless: none)
    for (const path of SITE_FILES) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: path, Body: contentOf(path) }));
    }
    s3.clearRequests();
    const result = await deploy({ source: repository(), bucket, ...TODAY });
    expectSuccess(result);
    expect(result.outputs['bytes-uploaded']).toBe('0');
    expect(ops(bucket, 'PutObject', 'UploadPart').every((r) => r.key === '.deploy-manifest.json')).toBe(true);
    expect(ops(bucket, 'CopyObject')).toHaveLength(SITE_FILES.length);
    for (const path of ['about', 'js/cart-0.0.1.js', 'img/chat.png']) {
      expect([path, ...(await headersOf(bucket, path))]).toEqual([path, ...expectedHeaders(path)]);
    }
  });
});

describe('an invalidation that failed', () => {
  it('is recorded and carried out by the next run, even though it has nothing to upload', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy({ source: repository(), bucket, ...TODAY }));
    const site = repository();
    writeFileSync(join(site, 'about'), contentOf('about', 2));

    sim.faults.set({ serverErrorRate: 1, operations: ['CreateInvalidation'] });
    const failed = await deploy({ source: site, bucket, ...TODAY });
    expect(failed.exitCode).toBe(1);
    expect(failed.errors[0]?.title).toBe('Frontend deploy stopped at the invalidation step');
    expect(failed.outputs).toMatchObject({ uploaded: '1', 'pending-invalidation-paths': '/about' });
    expect(failed.summary).toContain('next run');
    expect((await manifestOf(bucket)).pendingInvalidations).toEqual({ [DISTRIBUTION]: ['/about'] });

    sim.faults.clear();
    s3.clearRequests();
    const next = await deploy({ source: site, bucket, ...TODAY });
    expectSuccess(next);
    expect(next.outputs).toMatchObject({
      uploaded: '0',
      'carried-invalidation-paths': '/about',
      'pending-invalidation-paths': '',
      'invalidation-status': 'Completed',
    });
    expect(sim.calls('CreateInvalidation').at(-1)?.input).toMatchObject({
      DistributionId: DISTRIBUTION,
      InvalidationBatch: { Paths: { Items: ['/about'] } },
    });
    expect(next.summary).toContain('earlier run');
    expect((await manifestOf(bucket)).pendingInvalidations).toBeUndefined();

    const invalidations = sim.calls('CreateInvalidation').length;
    const settled = await deploy({ source: site, bucket, ...TODAY });
    expectSuccess(settled);
    expect(sim.calls('CreateInvalidation')).toHaveLength(invalidations);
  });
});

describe('an S3-compatible endpoint reached by host name', () => {
  it.each([
    ['the input, direct PUT', { 'force-path-style': true }, {}],
    ['the input, SDK PUT', { 'force-path-style': true, 'direct-put': false }, {}],
    ['AWS_S3_FORCE_PATH_STYLE, direct PUT', {}, { AWS_S3_FORCE_PATH_STYLE: 'true' }],
  ])('works with path-style forced by %s', async (_name, inputs, env) => {
    const bucket = await newBucket();
    const endpoint = s3.url.replace('127.0.0.1', 'localhost');
    s3.clearRequests();
    const result = await deploy(
      { source: repository(), bucket, include: TODAYS_INCLUDE.join('\n'), ...inputs },
      { ...env, AWS_ENDPOINT_URL_S3: endpoint },
    );
    expectSuccess(result);
    const puts = ops(bucket, 'PutObject');
    expect(puts).toHaveLength(SITE_FILES.length + 1);
    const host = new URL(endpoint).host;
    expect(s3.requests.filter((r) => r.bucket === bucket).every((r) => r.headers.host === host)).toBe(true);
  });
});

it('has every file of the repository in the fixture, as the shared facts list them', () => {
  expect(ALL_FILES).toHaveLength(100);
  expect(EXTENSIONLESS_PAGES).toHaveLength(22);
});
