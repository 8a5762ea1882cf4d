import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3Site } from '../../../actions/deploy-frontend/s3-api.js';

const s3 = mockClient(S3Client);
let dir: string;

beforeEach(() => {
  s3.reset();
  dir = mkdtempSync(join(tmpdir(), 'adapters-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const site = () => new S3Site(new S3Client({ region: 'us-east-1' }), 'bucket-1');

it('lists every page and normalises ETags', async () => {
  s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
    .resolves({ Contents: [{ Key: 'a', ETag: '"AA"', Size: 1 }], IsTruncated: true, NextContinuationToken: 't1' })
    .on(ListObjectsV2Command, { ContinuationToken: 't1' })
    .resolves({ Contents: [{ Key: 'b', ETag: '"bb-2"', Size: 2 }], IsTruncated: false });
  const target = site();
  expect(await target.list('site/')).toEqual([
    { key: 'a', etag: 'aa', size: 1 },
    { key: 'b', etag: 'bb-2', size: 2 },
  ]);
  expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({ Prefix: 'site/' });
  expect(target.requests).toBe(2);
});

it('PUTs a small file in one request with Content-MD5, headers and the sha256 metadata', async () => {
  const body = Buffer.from('body{}');
  writeFileSync(join(dir, 'a.css'), body);
  const md5 = createHash('md5').update(body).digest('hex');
  s3.on(PutObjectCommand).resolves({ ETag: `"${md5}"` });
  const etag = await site().putFile(
    'css/a.css',
    { absolutePath: join(dir, 'a.css'), size: body.length, md5, sha256: 'abc' },
    { cacheControl: 'public, max-age=1', contentType: 'text/css; charset=utf-8' },
  );
  expect(etag).toBe(md5);
  const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
  expect(input).toMatchObject({
    Bucket: 'bucket-1',
    Key: 'css/a.css',
    ContentMD5: createHash('md5').update(body).digest('base64'),
    CacheControl: 'public, max-age=1',
    ContentType: 'text/css; charset=utf-8',
    Metadata: { sha256: 'abc' },
  });
  expect(Buffer.from(input?.Body as Uint8Array)).toEqual(body);
});

it('rewrites headers with a self-copy that replaces metadata', async () => {
  s3.on(CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"ee"' } });
  expect(await site().copyInPlace('img/a b.png', 'sha', { cacheControl: 'max-age=5', contentType: 'image/png' })).toBe(
    'ee',
  );
  expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toMatchObject({
    CopySource: 'bucket-1/img/a%20b.png',
    MetadataDirective: 'REPLACE',
    CacheControl: 'max-age=5',
    Metadata: { sha256: 'sha' },
  });
});

it('deletes in batches of 1,000 and fails on any per-key error', async () => {
  s3.on(DeleteObjectsCommand).resolves({});
  const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`);
  expect(await site().deleteKeys(keys)).toBe(2500);
  expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects?.length)).toEqual([
    1000, 1000, 500,
  ]);
  s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'k1', Code: 'AccessDenied', Message: 'Access Denied' }] });
  await expect(site().deleteKeys(['k1'])).rejects.toThrow("S3 refused to delete 1 object(s), e.g. 'k1': AccessDenied");
});
