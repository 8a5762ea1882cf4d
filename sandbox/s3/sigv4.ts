import { createHash, createHmac } from 'node:crypto';

/**
 * Checks a request's Signature Version 4 as S3 does, from what arrived on the wire: s3rver accepts any V4 signature,
 * so without this a client that signs the wrong path, headers or payload hash would pass every test here and fail
 * against AWS. Written from the SigV4 specification (canonical request, string to sign, signing key).
 */

export interface WireRequest {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** What S3 answers to a request it refuses before looking at the object. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNCHECKED_PAYLOADS = /^(UNSIGNED-PAYLOAD|STREAMING-.*)$/;
const MAX_SKEW_MS = 15 * 60 * 1000;

export interface Verifier {
  secretFor: (accessKeyId: string) => string | undefined;
  /** The region this S3 is in: a signature scoped to another is refused, as S3 does. */
  region: string;
  /** This server's clock. */
  now: number;
}

/**
 * Undefined when the request is correctly signed. Anonymous requests are refused (the sandbox's buckets are private);
 * presigned URLs (signature in the query) are let through unchecked: nothing here makes them.
 */
export function checkSignature(request: WireRequest, { secretFor, region, now }: Verifier): Refusal | undefined {
  const authorization = request.headers.authorization ?? '';
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    return /[?&]X-Amz-Signature=/.test(request.url) ? undefined : problem(403, 'AccessDenied', 'Access Denied');
  }
  const fields = Object.fromEntries(
    authorization
      .slice(ALGORITHM.length + 1)
      .split(',')
      .map((part) => part.trim().split('=') as [string, string]),
  );
  const [accessKeyId = '', ...scopeParts] = (fields.Credential ?? '').split('/');
  const scope = scopeParts.join('/');
  const signedHeaders = (fields.SignedHeaders ?? '').split(';');
  const amzDate = request.headers['x-amz-date'] ?? '';
  const payloadHash = request.headers['x-amz-content-sha256'];

  const secret = secretFor(accessKeyId);
  if (secret === undefined) {
    return problem(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  const [day = '', scopeRegion = '', service = '', terminator = ''] = scopeParts;
  if (scopeRegion !== region) {
    return problem(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`,
    );
  }
  if (service !== 's3' || terminator !== 'aws4_request' || day !== amzDate.slice(0, 8)) {
    return problem(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  }
  const unsigned = Object.keys(request.headers).filter(
    (name) => (name === 'host' || name.startsWith('x-amz-')) && !signedHeaders.includes(name),
  );
  if (unsigned.length > 0) {
    return problem(403, 'AccessDenied', 'There were headers present in the request which were not signed');
  }
  if (!payloadHash)
    return problem(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || Math.abs(now - signedAt) > MAX_SKEW_MS) {
    return problem(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  }
  if (!UNCHECKED_PAYLOADS.test(payloadHash) && sha256Hex(request.body) !== payloadHash) {
    return problem(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }

  const canonical = canonicalRequest(request, signedHeaders, payloadHash);
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  if (createHmac('sha256', key).update(stringToSign).digest('hex') !== fields.Signature) {
    return problem(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  return undefined;
}

function canonicalRequest(request: WireRequest, signedHeaders: string[], payloadHash: string): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const headers = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`);
  return [request.method, path, canonicalQuery(query), headers.join(''), signedHeaders.join(';'), payloadHash].join(
    '\n',
  );
}

function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [strictEncode(decode(name)), strictEncode(decode(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function decode(text: string): string {
  return decodeURIComponent(text);
}

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ percent-encoded, in upper-case hex. */
function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function problem(status: number, code: string, message: string): Refusal {
  return { status, code, message };
}
