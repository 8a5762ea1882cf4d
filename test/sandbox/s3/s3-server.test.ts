import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startS3Server, type S3Sandbox } from '../../../sandbox/s3/index.js';

let s3: S3Sandbox;
let client: S3Client;

function md5(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('site');
  client = s3.client({ maxAttempts: 3, retryMode: 'standard' });
});

afterAll(async () => {
  client.destroy();
  await s3.stop();
});

beforeEach(() => {
  s3.faults.clear();
  s3.clearRequests();
});

it('stores bytes and headers sent with Content-MD5 and returns them unchanged, path-style', async () => {
  const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 254, 10, 13]);
  const put = await client.send(
    new PutObjectCommand({
      Bucket: 'site',
      Key: 'img/logo.png',
      Body: body,
      ContentMD5: createHash('md5').update(body).digest('base64'),
      CacheControl: 'public, max-age=3600',
      ContentType: 'image/png',
      Metadata: { sha256: 'abc' },
    }),
  );
  expect(put.ETag).toBe(`"${md5(body)}"`);
  const got = await client.send(new GetObjectCommand({ Bucket: 'site', Key: 'img/logo.png' }));
  expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
  expect(got.CacheControl).toBe('public, max-age=3600');
  expect(got.ContentType).toBe('image/png');
  expect(got.Metadata?.sha256).toBe('abc');
  expect(s3.requests.map((r) => [r.operation, r.bucket, r.key])).toEqual([
    ['PutObject', 'site', 'img/logo.png'],
    ['GetObject', 'site', 'img/logo.png'],
  ]);
});

it('lists past one page of 1,000 keys', async () => {
  await Promise.all(
    Array.from({ length: 1005 }, (_, i) =>
      client.send(new PutObjectCommand({ Bucket: 'site', Key: `many/${String(i).padStart(4, '0')}.txt`, Body: 'x' })),
    ),
  );
  const first = await client.send(new ListObjectsV2Command({ Bucket: 'site', Prefix: 'many/' }));
  expect(first.Contents).toHaveLength(1000);
  expect(first.IsTruncated).toBe(true);
  const second = await client.send(
    new ListObjectsV2Command({ Bucket: 'site', Prefix: 'many/', ContinuationToken: first.NextContinuationToken }),
  );
  expect(second.Contents?.map((c) => c.Key)).toEqual([
    'many/1000.txt',
    'many/1001.txt',
    'many/1002.txt',
    'many/1003.txt',
    'many/1004.txt',
  ]);
});

it('rewrites headers in place with CopyObject REPLACE, keeping the bytes and the MD5 ETag', async () => {
  const body = Buffer.from('body { color: red }');
  await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'a.css', Body: body, CacheControl: 'old' }));
  await client.send(
    new CopyObjectCommand({
      Bucket: 'site',
      Key: 'a.css',
      CopySource: 'site/a.css',
      MetadataDirective: 'REPLACE',
      CacheControl: 'new',
      ContentType: 'text/css; charset=utf-8',
    }),
  );
  const head = await client.send(new HeadObjectCommand({ Bucket: 'site', Key: 'a.css' }));
  expect(head.CacheControl).toBe('new');
  expect(head.ContentType).toBe('text/css; charset=utf-8');
  expect(head.ETag).toBe(`"${md5(body)}"`);
  expect(s3.count('CopyObject')).toBe(1);
});

it('keeps the bytes of a multipart upload and gives it an S3-style ETag, not the MD5, until it is overwritten', async () => {
  const body = Buffer.alloc(11 * 1024 * 1024, 7);
  body.write('start', 0);
  const done = await new Upload({
    client,
    params: { Bucket: 'site', Key: 'big.bin', Body: body },
    partSize: 5 * 1024 * 1024,
  }).done();
  // S3: MD5 of the concatenated binary MD5s of the parts, then '-' and the part count
  const parts = [body.subarray(0, 5 << 20), body.subarray(5 << 20, 10 << 20), body.subarray(10 << 20)];
  const expected = `"${md5(Buffer.concat(parts.map((part) => createHash('md5').update(part).digest())))}-3"`;
  expect(done.ETag).toBe(expected);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: 'site', Prefix: 'big.bin' }));
  expect(listed.Contents?.[0]).toMatchObject({ Size: body.length, ETag: expected });
  expect((await client.send(new HeadObjectCommand({ Bucket: 'site', Key: 'big.bin' }))).ETag).toBe(expected);
  const got = await client.send(new GetObjectCommand({ Bucket: 'site', Key: 'big.bin' }));
  expect(got.ETag).toBe(expected);
  expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(body));
  expect(s3.count('UploadPart')).toBe(3);

  await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'big.bin', Body: body }));
  expect((await client.send(new HeadObjectCommand({ Bucket: 'site', Key: 'big.bin' }))).ETag).toBe(`"${md5(body)}"`);
});

it('fails PUTs of keys matching a pattern, every attempt, and leaves other keys alone', async () => {
  s3.faults.failKey({ key: /\.js$/ });
  await expect(client.send(new PutObjectCommand({ Bucket: 'site', Key: 'js/app.js', Body: 'x' }))).rejects.toThrow(
    /internal error/i,
  );
  await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'ok.txt', Body: 'x' }));
  const puts = s3.requests.filter((r) => r.operation === 'PutObject');
  expect(puts.filter((r) => r.key === 'js/app.js').map((r) => r.injected)).toEqual(['error', 'error', 'error']);
  expect(puts.filter((r) => r.key === 'ok.txt').map((r) => r.status)).toEqual([200]);
});

it('drops connections and throttles at a rate, and the SDK retries through them', async () => {
  s3.faults.failKey({ key: /^flaky$/, kind: 'drop', times: 1 }).failKey({ key: /^slow$/, kind: 'throttle', times: 1 });
  await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'flaky', Body: 'a' }));
  await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'slow', Body: 'b' }));
  expect(s3.requests.map((r) => [r.key, r.injected ?? r.status])).toEqual([
    ['flaky', 'drop'],
    ['flaky', 200],
    ['slow', 'throttle'],
    ['slow', 200],
  ]);

  s3.clearRequests();
  s3.faults.seed(1).atRate({ rate: 0.2, kind: 'error', operations: ['HeadObject'] });
  for (let i = 0; i < 20; i++) await client.send(new HeadObjectCommand({ Bucket: 'site', Key: 'slow' }));
  const injected = s3.requests.filter((r) => r.injected).length;
  expect(injected).toBeGreaterThan(0);
  expect(s3.count('HeadObject')).toBe(20 + injected);
});

describe('checks every Signature V4 as S3 does (s3rver itself does not)', () => {
  /** A client that changes the request after the SDK signed it. */
  function tampering(change: (request: { headers: Record<string, string>; body: unknown }) => void): S3Client {
    const tamperer = s3.client({ maxAttempts: 1 });
    tamperer.middlewareStack.add(
      (next) => async (args) => {
        change(args.request as { headers: Record<string, string>; body: unknown });
        return next(args);
      },
      { step: 'deserialize', name: 'tamperAfterSigning' },
    );
    return tamperer;
  }
  const put = (key: string) =>
    new PutObjectCommand({ Bucket: 'site', Key: key, Body: Buffer.from('body'), Metadata: { sha256: 'abc' } });

  it('refuses a signed header changed after signing with 403 SignatureDoesNotMatch, and stores nothing', async () => {
    const tamperer = tampering((request) => (request.headers['x-amz-meta-sha256'] = 'abd'));
    await expect(tamperer.send(put('tampered-header.css'))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      client.send(new HeadObjectCommand({ Bucket: 'site', Key: 'tampered-header.css' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    tamperer.destroy();
  });

  it('refuses a body that is not the signed payload hash with 400 XAmzContentSHA256Mismatch', async () => {
    const tamperer = tampering((request) => (request.body = Buffer.from('BODY')));
    await expect(tamperer.send(put('tampered-body.css'))).rejects.toMatchObject({
      name: 'XAmzContentSHA256Mismatch',
      $metadata: { httpStatusCode: 400 },
    });
    expect(s3.requests.map((r) => [r.operation, r.status])).toEqual([['PutObject', 400]]);
    tamperer.destroy();
  });

  it('answers a query it cannot decode with 400 InvalidURI instead of failing', async () => {
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const response = await fetch(`${s3.url}/site?list-type=2&prefix=%E9`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00`,
        'x-amz-date': amzDate,
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidURI</Code>');
    // and the sandbox still answers
    await client.send(new HeadObjectCommand({ Bucket: 'site', Key: 'img/logo.png' }));
  });

  it('refuses unknown access keys', async () => {
    const stranger = s3.client({ maxAttempts: 1, credentials: { accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'x' } });
    await expect(stranger.send(put('stranger.css'))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    stranger.destroy();
  });
});

it('refuses a body that does not match its Content-MD5 with 400 BadDigest, as S3 does (s3rver does not look)', async () => {
  const body = Buffer.from('body');
  await expect(
    client.send(
      new PutObjectCommand({ Bucket: 'site', Key: 'bad-digest.css', Body: body, ContentMD5: md5Base64('other') }),
    ),
  ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
  await expect(
    client.send(new PutObjectCommand({ Bucket: 'site', Key: 'bad-digest.css', Body: body, ContentMD5: 'not-md5' })),
  ).rejects.toMatchObject({ name: 'InvalidDigest' });
  expect(s3.requests.map((r) => r.status)).toEqual([400, 400]);
});

function md5Base64(text: string): string {
  return createHash('md5').update(text).digest('base64');
}
