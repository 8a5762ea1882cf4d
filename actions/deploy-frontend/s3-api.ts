import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AwsClientConfig } from '../../lib/aws/config.js';
import { withNamedCalls } from '../../lib/aws/aws-errors.js';
import { ByteBudget } from './byte-budget.js';
import { DirectPutter } from './s3-direct-put-api.js';
import { MANIFEST_CACHE_CONTROL, normalizeEtag } from './s3-manifest.js';
import type { HeadInfo, RemoteObject } from './upload-plan.js';

/** The S3 side of a frontend deploy: thin calls, no decisions. */

const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;
const MULTIPART_QUEUE = 4;
/**
 * The most file bytes held in memory by uploads at once, whatever `concurrency` is: a small file is read whole before
 * its PUT, a multipart upload buffers up to MULTIPART_QUEUE parts. Three of the largest single PUTs.
 */
export const UPLOAD_BYTES_IN_FLIGHT = 3 * MULTIPART_THRESHOLD;

function createS3Client(config: AwsClientConfig, options: { forcePathStyle?: boolean } = {}): S3Client {
  const client = new S3Client({
    region: config.region,
    // endpoint/bucket/key rather than bucket.endpoint/key: S3-compatible stores reached by host name need it.
    forcePathStyle: options.forcePathStyle === true,
    maxAttempts: config.maxAttempts,
    retryMode: config.retryMode,
    // Content-MD5 is what we send; the default streamed trailing checksum is not understood by every S3 look-alike.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      const input = args.input as { Metadata?: Record<string, string> };
      if (request.headers && request.body instanceof Uint8Array) {
        if (context.commandName === 'UploadPartCommand' && !hasHeader(request.headers, 'content-md5')) {
          request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
        }
        // The body's SHA-256 is already known (it is the sha256 metadata): SigV4 signs with it instead of hashing again.
        if (context.commandName === 'PutObjectCommand' && input.Metadata?.sha256) {
          request.headers['x-amz-content-sha256'] = input.Metadata.sha256;
        }
      }
      return next(args);
    },
    { step: 'build', name: 'knownBodyHashes' },
  );
  return withNamedCalls(client);
}

/** The site's bucket, with the direct PUT path when asked for and its endpoint allows it (the SDK's rules decide). */
export async function openS3Site(
  config: AwsClientConfig,
  bucket: string,
  options: { directPut: boolean; forcePathStyle?: boolean; signal?: AbortSignal },
): Promise<S3Site> {
  const client = createS3Client(config, { forcePathStyle: options.forcePathStyle });
  // An endpoint the rules reject (a malformed ARN, say) fails with the SDK's own message at the first request.
  const direct = options.directPut ? await DirectPutter.forBucket(client, bucket).catch(() => undefined) : undefined;
  return new S3Site(client, bucket, options.signal, direct);
}

interface PutParams {
  Bucket: string;
  Key: string;
  CacheControl: string;
  ContentType: string;
  Metadata: Record<string, string>;
}

export class S3Site {
  requests = 0;
  private readonly budget = new ByteBudget(UPLOAD_BYTES_IN_FLIGHT);

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    private readonly signal?: AbortSignal,
    /** Small files go through this instead of the SDK's PutObject when set. */
    private readonly direct?: DirectPutter,
  ) {}

  private get options() {
    return { abortSignal: this.signal };
  }

  private count<T>(request: Promise<T>): Promise<T> {
    this.requests++;
    return request;
  }

  /** Every object under `prefix`: one ListObjectsV2 request per 1,000 keys. */
  async list(prefix: string): Promise<RemoteObject[]> {
    const objects: RemoteObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.count(
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, ContinuationToken: token }),
          this.options,
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key) objects.push({ key: item.Key, etag: normalizeEtag(item.ETag), size: item.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async getText(key: string): Promise<string | undefined> {
    try {
      const out = await this.count(
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), this.options),
      );
      return await out.Body?.transformToString();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<HeadInfo | undefined> {
    try {
      const out = await this.count(
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), this.options),
      );
      return {
        etag: normalizeEtag(out.ETag),
        cacheControl: out.CacheControl,
        contentType: out.ContentType,
        sha256: out.Metadata?.sha256,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Uploads a file with Content-MD5: a single PUT below the multipart threshold (so the ETag is the MD5). */
  async putFile(
    key: string,
    file: { absolutePath: string; size: number; md5: string; sha256: string },
    headers: { cacheControl: string; contentType: string },
  ): Promise<string> {
    const params: PutParams = {
      Bucket: this.bucket,
      Key: key,
      CacheControl: headers.cacheControl,
      ContentType: headers.contentType,
      Metadata: { sha256: file.sha256 },
    };
    if (file.size < MULTIPART_THRESHOLD) return this.budget.hold(file.size, () => this.putSmall(key, file, params));
    return this.budget.hold(PART_SIZE * MULTIPART_QUEUE, () => this.putMultipart(file, params));
  }

  /** A single PUT with Content-MD5 (so the ETag is the MD5), the file read whole within the byte budget. */
  private async putSmall(key: string, file: { absolutePath: string; md5: string; sha256: string }, params: PutParams) {
    // Small files are read in one blocking call: far cheaper than fs/promises for thousands of files.
    const body = readFileSync(file.absolutePath);
    const contentMd5 = Buffer.from(file.md5, 'hex').toString('base64');
    if (this.direct) {
      const headers = {
        'cache-control': params.CacheControl,
        'content-type': params.ContentType,
        'content-md5': contentMd5,
        sha256: file.sha256,
      };
      const etag = await this.count(this.direct.put(key, body, headers, this.signal));
      return etag || file.md5;
    }
    const out = await this.count(
      this.client.send(new PutObjectCommand({ ...params, Body: body, ContentMD5: contentMd5 }), this.options),
    );
    return normalizeEtag(out.ETag) || file.md5;
  }

  private async putMultipart(file: { absolutePath: string; size: number }, params: PutParams): Promise<string> {
    this.requests += Math.ceil(file.size / PART_SIZE) + 2;
    const upload = new Upload({
      client: this.client,
      params: { ...params, Body: createReadStream(file.absolutePath) },
      partSize: PART_SIZE,
      queueSize: MULTIPART_QUEUE,
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort();
    this.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const out = await upload.done();
      return normalizeEtag(out.ETag);
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Rewrites an object's headers without sending its bytes again. */
  async copyInPlace(
    key: string,
    sha256: string,
    headers: { cacheControl: string; contentType: string },
  ): Promise<string> {
    const out = await this.count(
      this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: key,
          CopySource: `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
          MetadataDirective: 'REPLACE',
          CacheControl: headers.cacheControl,
          ContentType: headers.contentType,
          Metadata: { sha256 },
        }),
        this.options,
      ),
    );
    return normalizeEtag(out.CopyObjectResult?.ETag);
  }

  async putText(key: string, text: string, contentType: string): Promise<void> {
    const body = Buffer.from(text, 'utf8');
    await this.count(
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ContentType: contentType,
          CacheControl: MANIFEST_CACHE_CONTROL,
        }),
        this.options,
      ),
    );
  }

  /** DeleteObjects in batches of 1,000; any per-key error fails the call. */
  async deleteKeys(keys: string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await this.count(
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
          this.options,
        ),
      );
      if (out.Errors?.length) {
        const first = out.Errors[0];
        throw new Error(
          `S3 refused to delete ${out.Errors.length} object(s), e.g. '${first?.Key}': ${first?.Code} ${first?.Message ?? ''}`.trim(),
        );
      }
      deleted += batch.length;
    }
    return deleted;
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((header) => header.toLowerCase() === name);
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
