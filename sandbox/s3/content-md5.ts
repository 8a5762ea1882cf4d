import { createHash } from 'node:crypto';
import type { Refusal, WireRequest } from './sigv4.js';

/** S3 refuses a body whose Content-MD5 header does not match it; s3rver does not look. */
export function checkContentMd5(request: WireRequest): Refusal | undefined {
  const header = request.headers['content-md5'];
  // An aws-chunked body carries its payload in signed chunks: the raw bytes are not what the digest covers.
  const chunked = /aws-chunked/.test(request.headers['content-encoding'] ?? '');
  if (header === undefined || chunked) return undefined;
  const digest = Buffer.from(header, 'base64');
  if (digest.length !== 16 || digest.toString('base64') !== header) {
    return { status: 400, code: 'InvalidDigest', message: 'The Content-MD5 you specified is not valid.' };
  }
  if (!digest.equals(createHash('md5').update(request.body).digest())) {
    return { status: 400, code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.' };
  }
  return undefined;
}
