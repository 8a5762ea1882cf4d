import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RetryStrategyV2 } from '@smithy/types';
import { DirectPutter, type PutHeaders } from '../../actions/deploy-frontend/s3-direct-put-api.js';
import { SANDBOX_CREDENTIALS, startS3Server, type S3Sandbox } from '../../sandbox/s3/index.js';
import { waitFor } from '../support/wait-for.js';

// deploy-frontend's PUT path without the SDK's middleware, against the sandbox's S3, which checks every signature.

let s3: S3Sandbox;
let client: S3Client;
let putter: DirectPutter;

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('site');
  client = s3.client({ maxAttempts: 3, retryMode: 'standard' });
  putter = (await DirectPutter.forBucket(client, 'site')) as DirectPutter;
});

afterAll(async () => {
  client.destroy();
  await s3.stop();
});

beforeEach(() => {
  s3.faults.clear();
  s3.clearRequests();
});

function headersFor(body: Buffer, overrides: Partial<PutHeaders> = {}): PutHeaders {
  return {
    'cache-control': 'public, max-age=31536000, immutable',
    'content-type': 'text/css; charset=utf-8',
    'content-md5': createHash('md5').update(body).digest('base64'),
    sha256: createHash('sha256').update(body).digest('hex'),
    ...overrides,
  };
}

async function fetchObject(key: string) {
  const out = await client.send(new GetObjectCommand({ Bucket: 'site', Key: key }));
  return { ...out, bytes: Buffer.from(await out.Body!.transformToByteArray()) };
}

const putsOf = (key: string) => s3.requests.filter((r) => r.operation === 'PutObject' && r.key === key);

it('stores the bytes, headers and sha256 metadata with one signed PUT, and returns the MD5 ETag', async () => {
  expect(putter).toBeInstanceOf(DirectPutter);
  const body = Buffer.from('body{color:red}');
  const etag = await putter.put('css/main-0.0.2.css', body, headersFor(body));
  expect(etag).toBe(createHash('md5').update(body).digest('hex'));
  const stored = await fetchObject('css/main-0.0.2.css');
  expect(stored.bytes).toEqual(body);
  expect(stored.CacheControl).toBe('public, max-age=31536000, immutable');
  expect(stored.ContentType).toBe('text/css; charset=utf-8');
  expect(stored.Metadata).toEqual({ sha256: headersFor(body).sha256 });
  const [request] = putsOf('css/main-0.0.2.css');
  expect(request?.status).toBe(200);
  expect(request?.headers).toMatchObject({
    'content-md5': headersFor(body)['content-md5'],
    'x-amz-content-sha256': headersFor(body).sha256,
  });
  expect(request?.headers.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request/,
  );
});

it('stores an empty file', async () => {
  const body = Buffer.alloc(0);
  expect(await putter.put('empty.txt', body, headersFor(body))).toBe('d41d8cd98f00b204e9800998ecf8427e');
  expect((await fetchObject('empty.txt')).bytes).toHaveLength(0);
});

it('encodes keys as the SDK does: spaces, plus signs, non-ASCII and reserved characters', async () => {
  const keys = ['img/a b+c.png', 'fonts/café-ünï.woff2'.normalize('NFC'), "odd/x!'()*~$&=,;@.txt", 'pct/a%20b.html'];
  for (const key of keys) {
    const body = Buffer.from(`body of ${key}`);
    await putter.put(key, body, headersFor(body));
    expect((await fetchObject(key)).bytes).toEqual(body);
  }
  const listed = await client.send(new ListObjectsV2Command({ Bucket: 'site' }));
  expect(listed.Contents?.map((o) => o.Key)).toEqual(expect.arrayContaining(keys));
});

it("retries throttling and dropped connections as the client's retry strategy says", async () => {
  s3.faults.failKey({ key: /^slow\.css$/, kind: 'throttle', times: 1 });
  s3.faults.failKey({ key: /^flaky\.css$/, kind: 'drop', times: 1 });
  const body = Buffer.from('x');
  await putter.put('slow.css', body, headersFor(body));
  await putter.put('flaky.css', body, headersFor(body));
  expect(putsOf('slow.css').map((r) => r.injected ?? r.status)).toEqual(['throttle', 200]);
  expect(putsOf('flaky.css').map((r) => r.injected ?? r.status)).toEqual(['drop', 200]);
});

it("gives up after the client's max attempts with S3's error code, the status and the attempt count", async () => {
  s3.faults.failKey({ key: /^broken\.css$/ });
  const body = Buffer.from('x');
  await expect(putter.put('broken.css', body, headersFor(body))).rejects.toMatchObject({
    name: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
    $fault: 'server',
    $metadata: { httpStatusCode: 500, attempts: 3 },
  });
  expect(putsOf('broken.css')).toHaveLength(3);
});

it('does not retry what S3 refuses for good: a wrong Content-MD5, a payload that is not the signed hash', async () => {
  const body = Buffer.from('x');
  const wrongMd5 = headersFor(Buffer.from('y'), { sha256: headersFor(body).sha256 });
  await expect(putter.put('bad-md5.css', body, wrongMd5)).rejects.toMatchObject({
    name: 'BadDigest',
    $metadata: { httpStatusCode: 400 },
  });
  const wrongHash = headersFor(body, { sha256: headersFor(Buffer.from('y')).sha256 });
  await expect(putter.put('bad-sha.css', body, wrongHash)).rejects.toMatchObject({
    name: 'XAmzContentSHA256Mismatch',
    $metadata: { httpStatusCode: 400 },
  });
  expect([putsOf('bad-md5.css').length, putsOf('bad-sha.css').length]).toEqual([1, 1]);
});

it('signs the session token of temporary credentials', async () => {
  const temporary = s3.client({ credentials: { ...SANDBOX_CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEJr//token==' } });
  const direct = (await DirectPutter.forBucket(temporary, 'site')) as DirectPutter;
  const body = Buffer.from('x');
  await direct.put('temporary.css', body, headersFor(body));
  const [request] = putsOf('temporary.css');
  expect(request?.status).toBe(200);
  expect(request?.headers['x-amz-security-token']).toBe('FwoGZXIvYXdzEJr//token==');
  expect(request?.headers.authorization).toContain('x-amz-security-token');
  temporary.destroy();
});

describe("a machine clock 30 minutes behind S3's", () => {
  beforeEach(() => (s3.clockSkewMs = 30 * 60_000));
  afterEach(() => (s3.clockSkewMs = 0));

  it("takes S3's clock from the refusals and retries every request refused for it, concurrent ones too", async () => {
    const skewed = s3.client({ maxAttempts: 3, retryMode: 'standard' });
    const direct = (await DirectPutter.forBucket(skewed, 'site')) as DirectPutter;
    const keys = Array.from({ length: 16 }, (_, i) => `skewed/${i}.css`);
    const body = Buffer.from('x');
    await Promise.all(keys.map((key) => direct.put(key, body, headersFor(body))));
    for (const key of keys) expect(putsOf(key).map((r) => r.status)).toEqual([403, 200]);
    expect(Math.abs(skewed.config.systemClockOffset - 30 * 60_000)).toBeLessThan(5_000);
    skewed.destroy();
  });

  it("as the SDK's own PutObject does against the same server", async () => {
    const skewed = s3.client({ maxAttempts: 3, retryMode: 'standard' });
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        skewed.send(new PutObjectCommand({ Bucket: 'site', Key: `sdk-skewed/${i}.css`, Body: 'x' })),
      ),
    );
    for (let i = 0; i < 4; i++) expect(putsOf(`sdk-skewed/${i}.css`).map((r) => r.status)).toEqual([403, 200]);
    skewed.destroy();
  });
});

it('stops at once when the run is cancelled', async () => {
  s3.faults.slow({ ms: 20_000, operations: ['PutObject'] });
  const controller = new AbortController();
  const body = Buffer.from('x');
  const put = putter.put('cancelled.css', body, headersFor(body), controller.signal);
  await waitFor(async () => (putsOf('cancelled.css').length === 1 ? true : undefined)); // in flight at the server
  const abortedAt = Date.now();
  controller.abort();
  await expect(put).rejects.toMatchObject({ name: 'AbortError' });
  // Not waiting for the 20 s answer (the bound is a wide margin for a busy machine, not a speed target).
  expect(Date.now() - abortedAt).toBeLessThan(5_000);
  expect(putsOf('cancelled.css')).toHaveLength(1);
});

it('stops at once when cancelled while the retry strategy backs off, not after its delays', async () => {
  s3.faults.atRate({ rate: 1, kind: 'throttle', operations: ['PutObject'] });
  const patient = s3.client({ maxAttempts: 10, retryMode: 'standard' });
  // The strategy sleeps inside refreshRetryTokenForRetry; keep its promises to let them run out after the test.
  const strategy = (await patient.config.retryStrategy()) as RetryStrategyV2;
  const backOffs: Array<Promise<unknown>> = [];
  const refresh = strategy.refreshRetryTokenForRetry.bind(strategy);
  strategy.refreshRetryTokenForRetry = (...args) => {
    const backOff = refresh(...args);
    backOffs.push(backOff.catch(() => undefined));
    return backOff;
  };
  const direct = (await DirectPutter.forBucket(patient, 'site')) as DirectPutter;
  const controller = new AbortController();
  const body = Buffer.from('x');
  const puts = Array.from({ length: 16 }, (_, i) =>
    direct.put(`backing-off/${i}.css`, body, headersFor(body), controller.signal).then(
      () => 'stored',
      (error: Error) => error.name,
    ),
  );
  await waitFor(async () => (backOffs.length >= 16 ? true : undefined)); // every PUT is backing off
  const abortedAt = Date.now();
  controller.abort();
  const outcomes = await Promise.all(puts);
  // Nine more throttled attempts would back off for several seconds in all; a cancel ends them at once.
  expect(Date.now() - abortedAt).toBeLessThan(5_000);
  expect(new Set(outcomes)).toEqual(new Set(['AbortError']));
  await Promise.all(backOffs);
  patient.destroy();
}, 30_000);
