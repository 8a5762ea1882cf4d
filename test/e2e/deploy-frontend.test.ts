import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DIRECT_PUT_USER_AGENT } from '../../actions/deploy-frontend/s3-direct-put-api.js';
import { UPLOAD_BYTES_IN_FLIGHT } from '../../actions/deploy-frontend/s3-api.js';
import { startS3Server, type S3Sandbox } from '../../sandbox/s3/index.js';
import { startSimulator } from '../../sandbox/sim/index.js';
import type { Simulator } from '../../sandbox/sim/model.js';
import { REPO_ROOT, runBundle, startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { waitFor } from '../support/wait-for.js';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/site');
const SITE_FILES = [
  'about.html',
  'css/main-0.0.2.css',
  'favicon.ico',
  'fonts/x.woff2',
  'img/logo.png',
  'index.html',
  'js/index-0.0.3.js',
  'js/jquery-3.7.1.min.js',
  'robots.txt',
];
const EXPECTED_HEADERS: Record<string, [string, string]> = {
  'about.html': ['no-cache, must-revalidate', 'text/html; charset=utf-8'],
  'index.html': ['no-cache, must-revalidate', 'text/html; charset=utf-8'],
  'css/main-0.0.2.css': ['public, max-age=0, must-revalidate', 'text/css; charset=utf-8'],
  'js/index-0.0.3.js': ['public, max-age=0, must-revalidate', 'text/javascript; charset=utf-8'],
  'js/jquery-3.7.1.min.js': ['public, max-age=0, must-revalidate', 'text/javascript; charset=utf-8'],
  'img/logo.png': ['public, max-age=3600', 'image/png'],
  'fonts/x.woff2': ['public, max-age=3600', 'font/woff2'],
  'favicon.ico': ['public, max-age=3600', 'image/vnd.microsoft.icon'],
  'robots.txt': ['public, max-age=3600', 'text/plain; charset=utf-8'],
};

let s3: S3Sandbox;
let client: S3Client;
let sim: Simulator;
let bucketCount = 0;
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-frontend-e2e-'));
  temps.push(dir);
  return dir;
}

/** A fresh checkout of the fixture site: same bytes, every mtime new. */
function checkout(): string {
  const dir = tempDir();
  cpSync(FIXTURE, dir, { recursive: true });
  const later = new Date(Date.now() + 60_000 * ++bucketCount);
  for (const file of [...SITE_FILES, '.htaccess']) utimesSync(join(dir, file), later, later);
  return dir;
}

/** A fresh checkout of another working copy: same bytes, every mtime new. */
function checkout2(source: string): string {
  const dir = tempDir();
  cpSync(source, dir, { recursive: true });
  return dir;
}

async function newBucket(): Promise<string> {
  const name = `site-${++bucketCount}`;
  await s3.createBucket(name);
  return name;
}

function deploy(inputs: Record<string, string | number | boolean>, env: Record<string, string> = {}) {
  return runBundle('deploy-frontend', {
    inputs: { 'max-attempts': 3, ...inputs },
    env: { ...s3.env(), AWS_ENDPOINT_URL_CLOUDFRONT: sim.url, ...env },
    timeoutMs: 90_000,
  });
}

async function getObject(bucket: string, key: string) {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    body: Buffer.from(await out.Body!.transformToByteArray()),
    cacheControl: out.CacheControl,
    contentType: out.ContentType,
  };
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

function ops(bucket: string, ...operations: string[]) {
  return s3.requests.filter(
    (r) => r.bucket === bucket && (operations.length === 0 || operations.includes(r.operation)),
  );
}

/** Whether some key of `bucket` has been PUT more than once (a retry). */
function retried(bucket: string): boolean {
  const keys = ops(bucket, 'PutObject').map((r) => r.key);
  return new Set(keys).size < keys.length;
}

function expectSuccess(result: BundleResult) {
  if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
}

beforeAll(async () => {
  s3 = await startS3Server();
  sim = await startSimulator();
  client = s3.client();
});

afterAll(async () => {
  client.destroy();
  await sim.stop();
  await s3.stop();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => s3.faults.clear());

describe('first deploy of a jQuery-shaped site', () => {
  let bucket: string;
  let result: BundleResult;

  beforeAll(async () => {
    bucket = await newBucket();
    result = await deploy({ source: checkout(), bucket });
  });

  it('succeeds and reports what it uploaded', () => {
    expectSuccess(result);
    const bytes = SITE_FILES.reduce((sum, f) => sum + readFileSync(join(FIXTURE, f)).length, 0);
    expect(result.outputs).toMatchObject({
      uploaded: '9',
      unchanged: '0',
      deleted: '0',
      'bytes-uploaded': String(bytes),
      'invalidation-id': '',
    });
  });

  it('stores every file with its exact bytes, Cache-Control and Content-Type, and not the dotfile', async () => {
    for (const file of SITE_FILES) {
      const object = await getObject(bucket, file);
      expect([file, md5(object.body)]).toEqual([file, md5(readFileSync(join(FIXTURE, file)))]);
      expect([file, object.cacheControl, object.contentType]).toEqual([file, ...EXPECTED_HEADERS[file]!]);
    }
    const keys = ops(bucket, 'PutObject').map((r) => r.key);
    expect(keys).not.toContain('.htaccess');
    expect([...new Set(keys)].sort()).toEqual([...SITE_FILES, '.deploy-manifest.json'].sort());
  });

  it('sends every PUT with Content-MD5, uploads every asset before any HTML, and the manifest last', () => {
    const puts = ops(bucket, 'PutObject');
    expect(puts.every((r) => /^[A-Za-z0-9+/]{22}==$/.test(r.headers['content-md5'] ?? ''))).toBe(true);
    // the SHA-256 computed for the manifest is the one SigV4 signs with: each body is hashed once, not twice
    const indexPut = puts.find((r) => r.key === 'index.html')!;
    const indexSha = createHash('sha256')
      .update(readFileSync(join(FIXTURE, 'index.html')))
      .digest('hex');
    expect([indexPut.headers['x-amz-content-sha256'], indexPut.headers['x-amz-meta-sha256']]).toEqual([
      indexSha,
      indexSha,
    ]);
    const keys = puts.map((r) => r.key as string);
    const firstHtml = keys.findIndex((k) => k.endsWith('.html'));
    expect(keys.slice(firstHtml, firstHtml + 2).sort()).toEqual(['about.html', 'index.html']);
    expect(keys.slice(0, firstHtml).some((k) => k.endsWith('.html'))).toBe(false);
    expect(keys.at(-1)).toBe('.deploy-manifest.json');
  });

  it("PUTs the site's files on the direct path (not the SDK's middleware), and the manifest through the SDK", () => {
    const agents = new Map(ops(bucket, 'PutObject').map((r) => [r.key, r.headers['user-agent'] ?? '']));
    expect(agents.get('index.html')).toBe(DIRECT_PUT_USER_AGENT);
    expect(agents.get('css/main-0.0.2.css')).toBe(DIRECT_PUT_USER_AGENT);
    expect(agents.get('.deploy-manifest.json')).toMatch(/^aws-sdk-js\//);
  });

  it('keeps its manifest under a reserved name, never cached', async () => {
    const manifest = await getObject(bucket, '.deploy-manifest.json');
    expect(manifest.cacheControl).toBe('no-store');
    const objects = JSON.parse(manifest.body.toString()).objects;
    expect(Object.keys(objects).sort()).toEqual(SITE_FILES);
  });

  it('writes the plan file and a job summary with counts, rules and changed files', () => {
    const plan = JSON.parse(readFileSync(result.outputs.plan!, 'utf8'));
    expect(result.outputs.plan!.startsWith(result.runnerTemp)).toBe(true);
    expect(plan.changes).toHaveLength(9);
    expect(plan.changes.at(-1)).toMatchObject({ phase: 'entry-point', action: 'upload' });
    expect(result.summary).toContain(`Frontend deployed to s3://${bucket}/`);
    expect(result.summary).toMatch(/\*\*Uploaded\*\* \| 9/);
    expect(result.summary).toContain('`js/jquery-3.7.1.min.js`');
    expect(result.summary).toContain('Cache-Control  **/*.html: no-cache, must-revalidate');
  });

  it('uploads nothing on a redeploy of a fresh checkout (every mtime new), with no HEAD per file', async () => {
    s3.clearRequests();
    const again = await deploy({ source: checkout(), bucket });
    expectSuccess(again);
    expect(again.outputs).toMatchObject({ uploaded: '0', unchanged: '9', 'bytes-uploaded': '0' });
    expect(ops(bucket).map((r) => r.operation)).toEqual(['ListObjectsV2', 'GetObject']);
  });
});

it('uploads only the one changed file and invalidates just that page', async () => {
  const bucket = await newBucket();
  expectSuccess(await deploy({ source: checkout(), bucket }));
  const site = checkout();
  writeFileSync(join(site, 'about.html'), readFileSync(join(site, 'about.html'), 'utf8').replace('About us', 'About'));
  s3.clearRequests();
  const result = await deploy({ source: site, bucket, 'cloudfront-distribution-id': 'E2QWRUHAPOMQZL' });
  expectSuccess(result);
  expect(result.outputs).toMatchObject({ uploaded: '1', unchanged: '8' });
  // the manifest is written with the paths to invalidate before CreateInvalidation, and again without them after it
  expect(ops(bucket, 'PutObject').map((r) => r.key)).toEqual([
    'about.html',
    '.deploy-manifest.json',
    '.deploy-manifest.json',
  ]);
  expect(JSON.parse((await getObject(bucket, '.deploy-manifest.json')).body.toString())).not.toHaveProperty(
    'pendingInvalidations',
  );
  expect((await getObject(bucket, 'about.html')).body.toString()).toContain('<h1>About —');
  expect(sim.calls('CreateInvalidation').at(-1)?.input).toMatchObject({
    DistributionId: 'E2QWRUHAPOMQZL',
    InvalidationBatch: { Paths: { Quantity: 1, Items: ['/about.html'] } },
  });
  expect(result.outputs['invalidation-id']).toMatch(/^I[A-Z0-9]{10,}$/);
  expect(result.summary).toContain(result.outputs['invalidation-id']);
});

it('re-applies a changed rule’s headers in place, without sending the bytes again', async () => {
  const bucket = await newBucket();
  expectSuccess(await deploy({ source: checkout(), bucket }));
  s3.clearRequests();
  const result = await deploy({ source: checkout(), bucket, 'cache-control': '**/*.png: public, max-age=60' });
  expectSuccess(result);
  expect(result.outputs).toMatchObject({ uploaded: '1', 'bytes-uploaded': '0', unchanged: '8' });
  expect(ops(bucket, 'CopyObject').map((r) => r.key)).toEqual(['img/logo.png']);
  expect(ops(bucket, 'PutObject').map((r) => r.key)).toEqual(['.deploy-manifest.json']);
  const logo = await getObject(bucket, 'img/logo.png');
  expect(logo.cacheControl).toBe('public, max-age=60');
  expect(logo.contentType).toBe('image/png');
  expect(md5(logo.body)).toBe(md5(readFileSync(join(FIXTURE, 'img/logo.png'))));
  expect(result.stdout).toContain('Cache-Control  **/*.png: public, max-age=60');

  s3.clearRequests();
  const settled = await deploy({ source: checkout(), bucket, 'cache-control': '**/*.png: public, max-age=60' });
  expect(settled.outputs.uploaded).toBe('0');
});

it('leaves the live HTML untouched and deletes nothing when an asset upload keeps failing', async () => {
  const bucket = await newBucket();
  const v1 = checkout();
  expectSuccess(await deploy({ source: v1, bucket }));
  const liveHtml = (await getObject(bucket, 'index.html')).body;

  const v2 = checkout();
  rmSync(join(v2, 'css/main-0.0.2.css'));
  writeFileSync(join(v2, 'css/main-0.0.3.css'), 'body { color: blue }\n');
  writeFileSync(join(v2, 'img/new.png'), readFileSync(join(v2, 'img/logo.png')));
  writeFileSync(join(v2, 'index.html'), readFileSync(join(v2, 'index.html'), 'utf8').replace('0.0.2', '0.0.3'));
  s3.faults.failKey({ key: /^css\/main-0\.0\.3\.css$/ });
  s3.clearRequests();

  const result = await deploy({ source: v2, bucket, delete: true, concurrency: 1 });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]?.title).toBe('Frontend deploy stopped at the assets step');
  expect(result.errors[0]?.message).toContain('css/main-0.0.3.css');
  expect(result.errors[0]?.message).toContain('No HTML was uploaded and nothing was deleted');
  expect(ops(bucket, 'PutObject').filter((r) => r.key!.endsWith('.html'))).toEqual([]);
  expect(ops(bucket, 'DeleteObjects', 'DeleteObject')).toEqual([]);
  expect((await getObject(bucket, 'index.html')).body).toEqual(liveHtml);
  expect((await getObject(bucket, 'css/main-0.0.2.css')).body.length).toBeGreaterThan(0);
  expect(result.summary).toContain('failed');
  expect(result.summary).toContain('`css/main-0.0.3.css`');
  // the SDK retried the failing PUT (max-attempts 3) before giving up
  expect(ops(bucket, 'PutObject').filter((r) => r.key === 'css/main-0.0.3.css')).toHaveLength(3);

  s3.faults.clear();
  s3.clearRequests();
  const retry = await deploy({ source: v2, bucket, delete: true });
  expectSuccess(retry);
  expect(retry.outputs.deleted).toBe('1');
  const keys = ops(bucket, 'PutObject', 'DeleteObjects').map((r) => r.operation + ' ' + r.key);
  expect(keys.at(-1)).toBe('DeleteObjects undefined');
  expect((await getObject(bucket, 'index.html')).body.toString()).toContain('main-0.0.3.css');
});

it('retries through dropped connections and throttling and still lands every byte', async () => {
  const bucket = await newBucket();
  s3.faults.seed(3).atRate({ rate: 0.25, kind: 'drop', operations: ['PutObject'] });
  s3.faults.atRate({ rate: 0.15, kind: 'throttle', operations: ['PutObject', 'ListObjectsV2'] });
  const result = await deploy({ source: checkout(), bucket, 'max-attempts': 6 });
  expectSuccess(result);
  expect(ops(bucket, 'PutObject').filter((r) => r.injected).length).toBeGreaterThan(0);
  for (const file of SITE_FILES) {
    expect(md5((await getObject(bucket, file)).body)).toBe(md5(readFileSync(join(FIXTURE, file))));
  }
});

describe('delete', () => {
  it('refuses more deletions than max-deletes before changing anything, and deletes them when raised', async () => {
    const bucket = await newBucket();
    expectSuccess(await deploy({ source: checkout(), bucket }));
    for (const key of ['old/a.html', 'old/b.js', 'old/c.css']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'old' }));
    }
    const site = checkout();
    writeFileSync(join(site, 'robots.txt'), 'User-agent: *\nDisallow: /private\n');
    s3.clearRequests();
    const refused = await deploy({ source: site, bucket, delete: true, 'max-deletes': 2 });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]?.message).toMatch(/^Input 'max-deletes' is 2 but this deploy would delete 3 object\(s\)/);
    expect(ops(bucket, 'PutObject', 'CopyObject', 'DeleteObjects', 'DeleteObject')).toEqual([]);

    const kept = await deploy({ source: site, bucket });
    expectSuccess(kept);
    expect(kept.outputs.deleted).toBe('0');
    expect(kept.stdout).toContain('3 object(s) not in the source are kept');

    s3.clearRequests();
    const allowed = await deploy({ source: site, bucket, delete: true, 'max-deletes': 3 });
    expectSuccess(allowed);
    expect(allowed.outputs).toMatchObject({ deleted: '3', uploaded: '0' });
    // one successful DeleteObjects for the three keys (s3rver sometimes answers a first one with a 500 and the SDK retries)
    expect(ops(bucket, 'DeleteObjects').filter((r) => r.status === 200)).toHaveLength(1);
    await expect(getObject(bucket, 'old/a.html')).rejects.toThrow();
    expect((await getObject(bucket, '.deploy-manifest.json')).body.length).toBeGreaterThan(0);
    expect(allowed.summary).toContain('`old/b.js`');
  });
});

it('changes nothing on a dry run, and says what it would do', async () => {
  const bucket = await newBucket();
  expectSuccess(await deploy({ source: checkout(), bucket }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'stale.txt', Body: 'x' }));
  const site = checkout();
  writeFileSync(join(site, 'index.html'), '<!doctype html><p>v2</p>\n');
  s3.clearRequests();
  const result = await deploy({ source: site, bucket, 'dry-run': true, delete: true });
  expectSuccess(result);
  expect(ops(bucket).map((r) => r.operation)).toEqual(['ListObjectsV2', 'GetObject']);
  expect(result.outputs).toMatchObject({ uploaded: '0', deleted: '0', unchanged: '8' });
  const plan = JSON.parse(readFileSync(result.outputs.plan!, 'utf8'));
  expect(plan.changes.map((c: { key: string }) => c.key)).toEqual(['index.html']);
  expect(plan.deletes).toEqual(['stale.txt']);
  expect(result.summary).toContain('(dry run)');
  expect(result.stdout).toContain('Dry run: nothing was changed.');
});

it('falls back to HEAD when the manifest is gone, then rewrites it so the next run needs none', async () => {
  const bucket = await newBucket();
  expectSuccess(await deploy({ source: checkout(), bucket }));
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: '.deploy-manifest.json' }));
  s3.clearRequests();
  const result = await deploy({ source: checkout(), bucket });
  expectSuccess(result);
  expect(result.outputs.uploaded).toBe('0');
  expect(ops(bucket, 'HeadObject')).toHaveLength(9);
  expect(ops(bucket, 'PutObject').map((r) => r.key)).toEqual(['.deploy-manifest.json']);
  s3.clearRequests();
  expectSuccess(await deploy({ source: checkout(), bucket }));
  expect(ops(bucket, 'HeadObject', 'PutObject')).toEqual([]);
});

describe('refuses bad input with one line naming it, before writing anything', () => {
  const WRITES = ['PutObject', 'CopyObject', 'DeleteObjects', 'DeleteObject', 'UploadPart', 'CreateMultipartUpload'];
  it.each([
    ['a missing source', () => ({ source: '/nonexistent/site' }), /^Input 'source' must be an existing folder/, 0],
    // the bucket is read while the folder is scanned, so an empty folder is found after the listing started
    ['an empty source', () => ({ source: tempDir() }), /^Input 'source' folder '.*' has no files to publish/, 1],
    [
      'a bad bucket name',
      () => ({ source: FIXTURE, bucket: 'Not_A_Bucket' }),
      /^Input 'bucket' must be an S3 bucket name/,
      0,
    ],
    [
      'a bad concurrency',
      () => ({ source: FIXTURE, concurrency: 'lots' }),
      /^Input 'concurrency' must be a whole number/,
      0,
    ],
    [
      'a bad exclude pattern',
      () => ({ source: FIXTURE, exclude: '*.{js' }),
      /^Input 'exclude' has an invalid pattern '\*\.\{js'/,
      0,
    ],
  ])('%s', async (_name, inputs, message, maxReads) => {
    s3.clearRequests();
    const result = await deploy({ bucket: 'never-touched', ...inputs() });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(message);
    expect(result.errors[0]?.message).not.toContain('\n');
    expect(s3.requests.filter((r) => WRITES.includes(r.operation))).toEqual([]);
    expect(s3.requests.length).toBeLessThanOrEqual(maxReads);
  });
});

it('never follows a symlink out of the source, and publishes NFC keys', async () => {
  const bucket = await newBucket();
  const outside = tempDir();
  writeFileSync(join(outside, 'secret.txt'), 'do not publish');
  const site = checkout();
  symlinkSync(join(outside, 'secret.txt'), join(site, 'leak.txt'));
  symlinkSync(outside, join(site, 'leakdir'));
  symlinkSync(join(site, 'robots.txt'), join(site, 'robots-link.txt'));
  mkdirSync(join(site, 'docs'));
  writeFileSync(join(site, 'docs', 'cafe\u0301.html'), '<p>café</p>\n');
  const result = await deploy({ source: site, bucket });
  expectSuccess(result);
  const keys = ops(bucket, 'PutObject').map((r) => r.key);
  expect(keys).not.toContain('leak.txt');
  expect(keys.some((k) => k!.startsWith('leakdir'))).toBe(false);
  expect(keys).toContain('robots-link.txt');
  expect(keys).toContain('docs/caf\u00e9.html');
  expect(result.warnings.map((w) => w.message)).toEqual(
    expect.arrayContaining([
      "Skipped 'leak.txt': symlink pointing outside the source folder",
      "Skipped 'leakdir': symlink pointing outside the source folder",
    ]),
  );
});

describe('a file above the multipart threshold (its ETag is not an MD5, as on S3)', () => {
  let bucket: string;
  let site: string;
  const big = Buffer.alloc(17 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);

  beforeAll(async () => {
    bucket = await newBucket();
    site = checkout();
    writeFileSync(join(site, 'video.mp4'), big);
    s3.clearRequests();
    expectSuccess(await deploy({ source: site, bucket }));
  });

  it('is uploaded in parts, each with Content-MD5, and lands byte for byte', async () => {
    const parts = ops(bucket, 'UploadPart').filter((r) => r.key === 'video.mp4');
    expect(parts).toHaveLength(3);
    expect(parts.every((r) => /^[A-Za-z0-9+/]{22}==$/.test(r.headers['content-md5'] ?? ''))).toBe(true);
    expect(ops(bucket, 'PutObject').map((r) => r.key)).not.toContain('video.mp4');
    const stored = await getObject(bucket, 'video.mp4');
    expect(md5(stored.body)).toBe(md5(big));
    expect(stored.contentType).toBe('video/mp4');
    const manifest = JSON.parse((await getObject(bucket, '.deploy-manifest.json')).body.toString());
    expect(manifest.objects['video.mp4'].etag).toMatch(/^[0-9a-f]{32}-3$/);
  });

  it('is compared by its recorded SHA-256 on a redeploy, not uploaded again', async () => {
    s3.clearRequests();
    const again = await deploy({ source: checkout2(site), bucket });
    expectSuccess(again);
    expect(again.outputs).toMatchObject({ uploaded: '0', unchanged: '10' });
    expect(ops(bucket, 'PutObject', 'UploadPart', 'HeadObject')).toEqual([]);
  });

  it('is compared by its sha256 metadata (one HEAD) when the manifest is gone', async () => {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: '.deploy-manifest.json' }));
    s3.clearRequests();
    const result = await deploy({ source: site, bucket });
    expectSuccess(result);
    expect(result.outputs.uploaded).toBe('0');
    expect(ops(bucket, 'UploadPart')).toEqual([]);
    expect(ops(bucket, 'HeadObject').map((r) => r.key)).toContain('video.mp4');
  });

  it('is uploaded again when its content changes at the same size', async () => {
    const changed = Buffer.from(big);
    changed.write('v2', 100);
    writeFileSync(join(site, 'video.mp4'), changed);
    s3.clearRequests();
    const result = await deploy({ source: site, bucket });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ uploaded: '1', 'bytes-uploaded': String(changed.length) });
    expect(md5((await getObject(bucket, 'video.mp4')).body)).toBe(md5(changed));
  });
});

it('stops on SIGTERM mid-upload: in-flight uploads aborted, no HTML uploaded, nothing deleted', async () => {
  const bucket = await newBucket();
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'old.txt', Body: 'x' }));
  s3.faults.slow({ ms: 30_000, operations: ['PutObject'] });
  s3.clearRequests();
  const run = startBundle('deploy-frontend', {
    inputs: { source: checkout(), bucket, concurrency: 2, delete: true },
    env: { ...s3.env() },
    timeoutMs: 90_000,
  });
  await run.waitForLine(/Uploading \d+ assets/);
  await waitFor(async () => (ops(bucket, 'PutObject').length === 2 ? true : undefined)); // both PUTs in flight
  const signalledAt = Date.now();
  run.signal('SIGTERM');
  const result = await run.result;
  expect(result.exitCode).toBe(1);
  // The in-flight PUTs were aborted, not awaited for their 30 s (a wide margin for a busy machine).
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  expect(result.warnings.map((w) => w.title)).toContain('Cancelled');
  expect(result.errors[0]?.title).toBe('Frontend deploy stopped at the assets step');
  expect(result.errors[0]?.message).toMatch(
    /^cancelled\. No HTML was uploaded and nothing was deleted: the live site still serves the previous version\. \d+ change\(s\) not attempted\./,
  );
  expect(ops(bucket, 'PutObject').map((r) => r.key)).toHaveLength(2);
  expect(ops(bucket, 'PutObject').some((r) => r.key!.endsWith('.html'))).toBe(false);
  expect(ops(bucket, 'DeleteObjects', 'DeleteObject')).toEqual([]);
  expect(result.summary).toContain('failed');
});

it('says every 10 s how far a slow upload got, so a long upload is never silent', async () => {
  const bucket = await newBucket();
  const source = tempDir();
  writeFileSync(join(source, 'main-0.0.2.css'), 'body{}');
  writeFileSync(join(source, 'index-0.0.3.js'), 'let a = 1;');
  writeFileSync(join(source, 'index.html'), '<html></html>');
  s3.faults.slow({ ms: 11_000, operations: ['PutObject'] });
  const run = startBundle('deploy-frontend', { inputs: { source, bucket }, env: { ...s3.env() }, timeoutMs: 90_000 });
  const line = await run.waitForLine(/Uploading assets: \d+ of 2 done/);
  s3.faults.clear();
  expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] Uploading assets: 0 of 2 done, 0 B of 16 B$/);
  const result = await run.result;
  expectSuccess(result);
  expect(result.lines.filter((l) => l.includes(' of 2 done'))).toHaveLength(1);
});

it("sends every PUT through the SDK's PutObjectCommand with direct-put: false, with the same result", async () => {
  const bucket = await newBucket();
  const result = await deploy({ source: checkout(), bucket, 'direct-put': false });
  expectSuccess(result);
  const agents = ops(bucket, 'PutObject').map((r) => r.headers['user-agent'] ?? '');
  expect(agents.length).toBeGreaterThan(5);
  expect(agents.every((agent) => /^aws-sdk-js\//.test(agent))).toBe(true);
  const css = await getObject(bucket, 'css/main-0.0.2.css');
  expect(css.cacheControl).toBe('public, max-age=0, must-revalidate');
  expect(md5(css.body)).toBe(md5(readFileSync(join(FIXTURE, 'css/main-0.0.2.css'))));
});

it('exits at once on SIGTERM while uploads are backing off from throttling', async () => {
  const bucket = await newBucket();
  s3.faults.atRate({ rate: 1, kind: 'throttle', operations: ['PutObject'] });
  const run = startBundle('deploy-frontend', {
    inputs: { source: checkout(), bucket, 'max-attempts': 10 },
    env: { ...s3.env() },
    timeoutMs: 90_000,
  });
  await run.waitForLine(/Uploading \d+ assets/);
  await waitFor(async () => (retried(bucket) ? true : undefined)); // a PUT was retried: the strategy is backing off
  const signalledAt = Date.now();
  run.signal('SIGTERM');
  const result = await run.result;
  // Nine more throttled attempts per file would back off for many seconds; a cancel ends them at once.
  expect(Date.now() - signalledAt).toBeLessThan(5_000);
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]?.title).toBe('Frontend deploy stopped at the assets step');
  expect(ops(bucket, 'PutObject').every((r) => r.injected === 'throttle')).toBe(true);
});

it('names the bucket when it does not exist', async () => {
  const result = await deploy({ source: checkout(), bucket: 'no-such-bucket' });
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.message)).toEqual([
    "Bucket 'no-such-bucket' does not exist (NoSuchBucket); check the 'bucket' input",
  ]);
});

it('holds at most UPLOAD_BYTES_IN_FLIGHT of file bytes in uploads at once, whatever the concurrency', async () => {
  const site = tempDir();
  const size = 12 * 1024 * 1024; // six files just under the single-PUT limit: 72 MiB if all were in flight
  for (let i = 0; i < 6; i++) writeFileSync(join(site, `video-${i}.bin`), Buffer.alloc(size, i));
  const bucket = await newBucket();
  s3.clearRequests();
  s3.faults.slow({ operations: ['PutObject'], ms: 300 }); // every PUT in flight a while: they would all overlap
  try {
    expectSuccess(await deploy({ source: site, bucket, concurrency: 16 }));
  } finally {
    s3.faults.clear();
  }
  expect(ops(bucket, 'PutObject').filter((r) => r.key?.startsWith('video-'))).toHaveLength(6);
  expect(s3.peakUploadBytesInFlight()).toBeGreaterThanOrEqual(2 * size); // still concurrent
  expect(s3.peakUploadBytesInFlight()).toBeLessThanOrEqual(UPLOAD_BYTES_IN_FLIGHT);
});
