import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { HttpRequest } from '@smithy/core/protocols';
import { getRetryAfterHint, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpResponse, SdkError } from '@smithy/types';
import { CancelledError } from '../../lib/runner/run-action.js';
import { now, sleep } from '../../lib/runner/time.js';
import { normalizeEtag } from './s3-manifest.js';
import { markOperation } from '../../lib/aws/aws-errors.js';

/**
 * Single-part PutObject without the SDK's per-request middleware stack, for the thousands of small PUTs of a site
 * deploy: there the stack (serialisation, endpoint rules, user agent, checksum plugins) cost more CPU than the upload
 * itself (README: Performance). Everything that decides correctness still comes from the SDK and the client's own
 * configuration: the endpoint from S3's endpoint rules (resolved once per bucket), credentials from the client's
 * provider chain, SigV4 from @smithy/signature-v4, the HTTP handler and connection pool, and the retry strategy
 * (standard or adaptive, the same attempts and back-off), and clock-skew correction as the SDK's SigV4 signer does
 * it. Buckets that need another signing scheme (S3 Express directory buckets, multi-region access points) get no
 * direct putter and go through the SDK.
 */

export interface PutHeaders {
  'cache-control': string;
  'content-type': string;
  /** base64, as S3 checks it */
  'content-md5': string;
  /** hex SHA-256 of the body: signed as the payload hash and kept as `x-amz-meta-sha256` */
  sha256: string;
}

type ClientConfig = S3Client['config'];

/** Names these requests in S3 access logs and CloudTrail, where the SDK's would say aws-sdk-js. */
export const DIRECT_PUT_USER_AGENT = 'startupwebapp-deploy-actions/deploy-frontend direct-put';

export class DirectPutter {
  private constructor(
    private readonly config: ClientConfig,
    private readonly base: URL,
    private readonly signer: SignatureV4,
    private readonly endpointHeaders: Record<string, string>,
    private readonly sampleClockSkew: boolean,
  ) {}

  /** A putter for `bucket`, or undefined when its endpoint signs with anything but plain SigV4. */
  static async forBucket(client: S3Client, bucket: string): Promise<DirectPutter | undefined> {
    // A copy, as lib-storage passes it: endpoint resolution writes what it resolved onto the config it is given.
    const endpoint = await getEndpointFromInstructions({ Bucket: bucket, Key: 'k' }, PutObjectCommand, {
      ...client.config,
    });
    const scheme = plainSigV4(endpoint.properties?.authSchemes);
    if (!scheme || !/^https?:$/.test(endpoint.url.protocol)) return undefined;
    const signer = new SignatureV4({
      credentials: client.config.credentials,
      region: scheme.signingRegion ?? (await client.config.region()),
      service: scheme.signingName ?? 's3',
      sha256: client.config.sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    const headers = Object.fromEntries(
      Object.entries(endpoint.headers ?? {}).map(([name, values]) => [name.toLowerCase(), values.join(',')]),
    );
    const noSkewCorrection = (await client.config.disableClockSkewCorrection?.()) === true;
    return new DirectPutter(client.config, endpoint.url, signer, headers, !noSkewCorrection);
  }

  /** PUTs `body` as `key`, retrying as the client's retry strategy says; resolves with the ETag S3 returned. */
  async put(key: string, body: Uint8Array, headers: PutHeaders, signal?: AbortSignal): Promise<string> {
    const strategy = await this.config.retryStrategy();
    // A custom pre-V2 strategy cannot be driven from outside the SDK's middleware: one attempt, as it stands.
    if (!('acquireInitialRetryToken' in strategy)) return this.attempt(key, body, headers, signal);
    // The strategy sleeps (back-off, adaptive rate limiting) inside these calls: a cancel must not wait for them.
    let token = await abortable(strategy.acquireInitialRetryToken(''), signal);
    for (;;) {
      try {
        const etag = await this.attempt(key, body, headers, signal);
        strategy.recordSuccess(token);
        return etag;
      } catch (error) {
        if (signal?.aborted) throw error;
        const info = { errorType: retryErrorType(error), error: error as SdkError, retryAfterHint: retryAfter(error) };
        try {
          token = await abortable(strategy.refreshRetryTokenForRetry(token, info), signal);
        } catch (refused) {
          if (signal?.aborted) throw refused;
          throw withAttempts(error, token.getRetryCount() + 1);
        }
        await sleep(token.getRetryDelay(), signal);
      }
    }
  }

  /** One PUT; its errors name the call (PutObject), as the SDK's do through lib/aws/clients.ts. */
  private async attempt(key: string, body: Uint8Array, headers: PutHeaders, signal?: AbortSignal): Promise<string> {
    try {
      return await this.send(key, body, headers, signal);
    } catch (error) {
      throw markOperation(error, 'PutObject');
    }
  }

  private async send(key: string, body: Uint8Array, headers: PutHeaders, signal?: AbortSignal): Promise<string> {
    const { protocol, hostname, port } = this.base;
    const request = new HttpRequest({
      method: 'PUT',
      protocol,
      hostname,
      port: port ? Number(port) : undefined,
      path: objectPath(this.base, key),
      headers: {
        ...this.endpointHeaders,
        host: this.base.host,
        'user-agent': DIRECT_PUT_USER_AGENT,
        'content-length': String(body.byteLength),
        'content-md5': headers['content-md5'],
        'content-type': headers['content-type'],
        'cache-control': headers['cache-control'],
        'x-amz-meta-sha256': headers.sha256,
        'x-amz-content-sha256': headers.sha256,
      },
      body,
    });
    const offsetBefore = this.config.systemClockOffset ?? 0;
    const sentAt = now();
    const signed = await this.signer.sign(request, { signingDate: new Date(sentAt + offsetBefore) });
    const { response } = await this.config.requestHandler.handle(signed as HttpRequest, { abortSignal: signal });
    const text = Buffer.from(await this.config.streamCollector(response.body)).toString('utf8');
    const corrected = this.sampleClockSkew && sampleServerClock(this.config, response.headers, sentAt, offsetBefore);
    if (response.statusCode >= 200 && response.statusCode < 300) return normalizeEtag(response.headers.etag);
    const error = serviceError(response, text);
    if (corrected) error.$metadata.clockSkewCorrected = true;
    throw error;
  }
}

function plainSigV4(
  schemes: unknown,
): { name: string; signingName?: string; signingRegion?: string } | undefined | false {
  const list = (Array.isArray(schemes) ? schemes : []) as Array<{
    name: string;
    signingName?: string;
    signingRegion?: string;
  }>;
  if (list.length === 0) return { name: 'sigv4' };
  const first = list[0];
  return first?.name === 'sigv4' ? first : undefined;
}

/** The request path of `key` under the bucket's endpoint: each segment percent-encoded as the SDK does (RFC 3986). */
export function objectPath(base: URL, key: string): string {
  const encoded = key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
  return `${base.pathname.replace(/\/$/, '')}/${encoded}`;
}

export interface ServiceError extends Error {
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode: number; requestId?: string; extendedRequestId?: string; clockSkewCorrected?: boolean };
  /** Status and headers, as on the SDK's exceptions (the retry strategy reads Retry-After from it). */
  $response: Pick<HttpResponse, 'statusCode' | 'headers'>;
}

/** An error shaped like the SDK's service exceptions (name = S3's error code), from an S3 error response. */
export function serviceError(response: Pick<HttpResponse, 'statusCode' | 'headers'>, body: string): ServiceError {
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  const code = tag('Code') ?? `Http${response.statusCode}`;
  const error = new Error(unescapeXml(tag('Message') ?? `S3 answered HTTP ${response.statusCode}`)) as ServiceError;
  error.name = code;
  error.$fault = response.statusCode >= 500 ? 'server' : 'client';
  error.$metadata = {
    httpStatusCode: response.statusCode,
    requestId: response.headers['x-amz-request-id'],
    extendedRequestId: response.headers['x-amz-id-2'],
  };
  error.$response = { statusCode: response.statusCode, headers: response.headers };
  return error;
}

/** The SDK's classification of an error for its retry strategy. */
export function retryErrorType(error: unknown): 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR' {
  const e = error as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(e)) return 'THROTTLING';
  if (isTransientError(e)) return 'TRANSIENT';
  if (isServerError(e)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

/**
 * What the SDK's SigV4 signer does with each response's Date header (@aws-sdk/core AwsSdkSigV4Signer): adopt the
 * server's clock as the offset to sign with, unless the response was cached (Age) or took over 15 minutes. Returns
 * whether a request signed with `offsetBefore` should be retried because of it: the new offset is 4 minutes or more
 * and differs from the one the request was signed with (also when a concurrent request corrected it first).
 */
export function sampleServerClock(
  config: { systemClockOffset?: number },
  headers: Record<string, string | undefined>,
  sentAt: number,
  offsetBefore: number,
  receivedAt = now(),
): boolean {
  const server = headers.date ? Date.parse(headers.date) : NaN;
  if (headers.age !== undefined || Number.isNaN(server) || receivedAt - sentAt > 900_000) return false;
  const offset = server - receivedAt;
  config.systemClockOffset = offset;
  return Math.abs(offset) >= 240_000 && offset !== offsetBefore;
}

/** Rejects as soon as `signal` aborts, leaving `promise` to settle on its own. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new CancelledError('abort'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function retryAfter(error: unknown): Date | undefined {
  const response = (error as { $response?: unknown })?.$response;
  if (!response) return undefined;
  const hint = getRetryAfterHint(response as never);
  return hint instanceof Date ? hint : undefined;
}

function withAttempts(error: unknown, attempts: number): unknown {
  const e = error as { $metadata?: Record<string, unknown> };
  if (e && typeof e === 'object') e.$metadata = { ...e.$metadata, attempts };
  return error;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
