import { createHash } from 'node:crypto';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/core/serde';
import { checkSignature, type WireRequest } from '../../../sandbox/s3/sigv4.js';

// The worked example of S3's "Signature Calculations for the Authorization Header" page: GET /test.txt with a Range.
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const exampleAt = Date.UTC(2013, 4, 24, 0, 0, 0);
const secretFor = (id: string) => ({ AKIAIOSFODNN7EXAMPLE: EXAMPLE_SECRET, S3RVER: 'S3RVER' })[id];
/** The example's S3: us-east-1, on the day it was signed. */
const atExample = { secretFor, region: 'us-east-1', now: exampleAt };

function example(overrides: Partial<Record<string, string>> = {}, body = Buffer.alloc(0)): WireRequest {
  return {
    method: 'GET',
    url: '/test.txt',
    body,
    headers: {
      host: 'examplebucket.s3.amazonaws.com',
      range: 'bytes=0-9',
      'x-amz-content-sha256': EMPTY_SHA256,
      'x-amz-date': '20130524T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      ...overrides,
    } as Record<string, string>,
  };
}

it("accepts AWS's own worked example of a signed S3 request", () => {
  expect(checkSignature(example(), atExample)).toBeUndefined();
});

it('refuses the example when a signed header, the path or the method changed after signing', () => {
  expect(checkSignature(example({ range: 'bytes=0-10' }), atExample)?.code).toBe('SignatureDoesNotMatch');
  expect(checkSignature({ ...example(), url: '/test.txt2' }, atExample)?.code).toBe('SignatureDoesNotMatch');
  expect(checkSignature({ ...example(), method: 'PUT' }, atExample)).toMatchObject({
    status: 403,
    code: 'SignatureDoesNotMatch',
  });
});

it('refuses a wrong secret, an unknown access key and a request signed more than 15 minutes away', () => {
  expect(checkSignature(example(), { ...atExample, secretFor: () => 'not-the-secret' })?.code).toBe(
    'SignatureDoesNotMatch',
  );
  expect(checkSignature(example(), { ...atExample, secretFor: () => undefined })).toMatchObject({
    status: 403,
    code: 'InvalidAccessKeyId',
  });
  expect(checkSignature(example(), { ...atExample, now: exampleAt + 16 * 60_000 })?.code).toBe('RequestTimeTooSkewed');
  expect(checkSignature(example(), { ...atExample, now: exampleAt + 14 * 60_000 })).toBeUndefined();
});

it('refuses a body that is not what x-amz-content-sha256 says, and does not hash UNSIGNED-PAYLOAD', () => {
  expect(checkSignature(example({}, Buffer.from('x')), atExample)).toMatchObject({
    status: 400,
    code: 'XAmzContentSHA256Mismatch',
  });
  const unsigned = checkSignature(example({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, Buffer.from('x')), atExample);
  // the payload hash is part of the canonical request, so the example's signature no longer matches; but no 400
  expect(unsigned?.code).toBe('SignatureDoesNotMatch');
});

it('refuses a signature scoped to another region, service or day, as S3 does', () => {
  expect(checkSignature(example(), { ...atExample, region: 'eu-west-1' })).toMatchObject({
    status: 400,
    code: 'AuthorizationHeaderMalformed',
    message: "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
  });
  const otherDay = example({ 'x-amz-date': '20130525T000000Z' });
  expect(checkSignature(otherDay, { ...atExample, now: Date.UTC(2013, 4, 25) })?.code).toBe(
    'AuthorizationHeaderMalformed',
  );
  const authorization = example().headers.authorization!.replace('/s3/', '/ec2/');
  expect(checkSignature(example({ authorization }), atExample)?.code).toBe('AuthorizationHeaderMalformed');
});

it('refuses x-amz-* headers that were sent but not signed', () => {
  expect(checkSignature(example({ 'x-amz-meta-extra': 'added later' }), atExample)).toMatchObject({
    status: 403,
    code: 'AccessDenied',
  });
});

it('refuses anonymous requests, as S3 does for a private bucket, and lets presigned URLs through unchecked', () => {
  const anonymous = { method: 'GET', url: '/site/index.html', headers: {}, body: Buffer.alloc(0) };
  expect(checkSignature(anonymous, atExample)).toMatchObject({ status: 403, code: 'AccessDenied' });
  const presigned = { ...anonymous, url: '/site/index.html?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00' };
  expect(checkSignature(presigned, atExample)).toBeUndefined();
});

async function signedBySdk(request: {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer;
  sessionToken?: string;
}): Promise<WireRequest> {
  const body = request.body ?? Buffer.alloc(0);
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', sessionToken: request.sessionToken },
    region: 'eu-west-1',
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4568,
      path: request.path,
      query: request.query ?? {},
      headers: {
        host: '127.0.0.1:4568',
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        ...request.headers,
      },
      body,
    }),
  );
  const query = Object.entries(signed.query ?? {})
    .map(([name, value]) =>
      value === '' ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`,
    )
    .join('&');
  const headers = Object.fromEntries(
    Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { method: request.method, url: query ? `${signed.path}?${query}` : signed.path, headers, body };
}

it("agrees with the SDK's signer on queries, encoded keys, valueless parameters and session tokens", async () => {
  const cases = [
    await signedBySdk({
      method: 'GET',
      path: '/site',
      query: { 'list-type': '2', prefix: 'a b/c+d', 'continuation-token': 'x/y=' },
    }),
    await signedBySdk({ method: 'POST', path: '/site', query: { delete: '' }, body: Buffer.from('<Delete/>') }),
    await signedBySdk({
      method: 'PUT',
      path: `/site/${encodeURIComponent('café (1)')}/x%21%27%2A.css`,
      headers: { 'cache-control': 'public,  max-age=60', 'x-amz-meta-sha256': 'abc' },
      body: Buffer.from('body{}'),
      sessionToken: 'token/with+chars==',
    }),
  ];
  const inEuWest1 = { secretFor, region: 'eu-west-1', now: Date.now() };
  for (const request of cases) expect(checkSignature(request, inEuWest1)).toBeUndefined();
  const [list] = cases;
  expect(checkSignature({ ...list!, url: list!.url.replace('list-type=2', 'list-type=1') }, inEuWest1)?.code).toBe(
    'SignatureDoesNotMatch',
  );
});
