/** Names an S3 REST request by the operation the SDK meant (path-style: /bucket/key?query). */
export interface S3RequestInfo {
  method: string;
  bucket?: string;
  key?: string;
  operation: string;
}

export function classifyRequest(method: string, url: string, headers: Record<string, unknown> = {}): S3RequestInfo {
  const parsed = new URL(url, 'http://s3.local');
  const [, bucket, ...rest] = parsed.pathname.split('/');
  const key = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  const q = parsed.searchParams;
  const base = { method, bucket: bucket ? decodeURIComponent(bucket) : undefined, key: key || undefined };
  const operation = (() => {
    if (!bucket) return 'ListBuckets';
    if (!key) {
      if (method === 'PUT') return 'CreateBucket';
      if (method === 'DELETE') return 'DeleteBucket';
      if (method === 'HEAD') return 'HeadBucket';
      if (method === 'POST' && q.has('delete')) return 'DeleteObjects';
      if (method === 'GET') return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      return `${method} bucket`;
    }
    if (method === 'PUT') {
      if (q.has('uploadId') && q.has('partNumber')) return 'UploadPart';
      if (headers['x-amz-copy-source']) return 'CopyObject';
      return 'PutObject';
    }
    if (method === 'POST')
      return q.has('uploads') ? 'CreateMultipartUpload' : q.has('uploadId') ? 'CompleteMultipartUpload' : 'PostObject';
    if (method === 'DELETE') return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    if (method === 'HEAD') return 'HeadObject';
    if (method === 'GET') return 'GetObject';
    return `${method} object`;
  })();
  return { ...base, operation };
}
