import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Worker } from 'node:worker_threads';
import { FaultPlan, type FaultKind } from './faults.js';
import { MultipartEtags } from './multipart-etags.js';
import { classifyRequest, type S3RequestInfo } from './operations.js';
import { checkContentMd5 } from './content-md5.js';
import { checkSignature, type Refusal, type WireRequest } from './sigv4.js';
import { escapeXml } from '../xml.js';

/**
 * S3 on loopback: s3rver (a real S3-compatible server from npm) behind a proxy that records every request and can
 * inject faults. Path-style URLs (the SDK uses them for an IP endpoint).
 */

export const SANDBOX_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const secretFor = (accessKeyId: string) =>
  accessKeyId === SANDBOX_CREDENTIALS.accessKeyId ? SANDBOX_CREDENTIALS.secretAccessKey : undefined;

export interface RecordedRequest extends S3RequestInfo {
  status: number;
  /** What the proxy did instead of forwarding, if anything. */
  injected?: FaultKind;
  headers: Record<string, string>;
}

export interface S3Sandbox {
  /** The proxy's URL: what clients talk to. */
  url: string;
  region: string;
  env(): Record<string, string>;
  createBucket(name: string): Promise<void>;
  /** An SDK client for this server (checksums only where required: s3rver stores aws-chunked bodies verbatim). */
  client(options?: S3ClientConfig): S3Client;
  requests: RecordedRequest[];
  /** Recorded requests with this operation name (e.g. 'PutObject'). */
  count(operation: string): number;
  clearRequests(): void;
  /**
   * The most upload body bytes (PutObject, UploadPart) the server had in flight at once, from a request's arrival to
   * its answer: what the client held in memory for them at least. Reset by clearRequests.
   */
  peakUploadBytesInFlight(): number;
  faults: FaultPlan;
  /** How far this server's clock is ahead of the machine's (negative: behind); it signs its Date headers with it. */
  clockSkewMs: number;
  directory: string;
  stop(): Promise<void>;
}

export async function startS3Server(options: { region?: string; directory?: string } = {}): Promise<S3Sandbox> {
  const region = options.region ?? 'us-east-1';
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 's3-sandbox-'));
  const backend = new Worker(new URL('./s3rver-worker.mjs', import.meta.url), { workerData: { directory } });
  const backendAddress = await new Promise<{ port: number }>((resolve, reject) => {
    backend.once('message', resolve);
    backend.once('error', reject);
  });
  const requests: RecordedRequest[] = [];
  const uploads = { inFlight: 0, peak: 0 };
  const faults = new FaultPlan();
  // Idle connections are dropped after 4 s, before s3rver's 5 s keep-alive timeout can close one under a request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });
  const multipart = new MultipartEtags();

  /**
   * Where s3rver's answer differs from S3's: multipart objects' ETags (see MultipartEtags). Adjusts the headers in
   * place and returns a body rewrite when the body must change too.
   */
  function s3Like(
    info: S3RequestInfo,
    headers: http.IncomingHttpHeaders,
    requestBody: () => Buffer,
  ): ((body: string) => string) | undefined {
    const { operation, bucket = '', key = '' } = info;
    if (operation === 'PutObject' || operation === 'CopyObject' || operation === 'DeleteObject') {
      multipart.forget(bucket, key);
    } else if (operation === 'CompleteMultipartUpload') {
      return (body) => {
        const plain = /<ETag>([\s\S]*?)<\/ETag>/.exec(body)?.[1] ?? '';
        const etag = multipart.completed(bucket, key, requestBody().toString('utf8'), plain.replace(/&quot;|"/g, ''));
        return body.replace(/<ETag>[\s\S]*?<\/ETag>/, `<ETag>&quot;${etag}&quot;</ETag>`);
      };
    } else if (operation === 'ListObjectsV2') {
      return (body) => multipart.rewriteListing(bucket, body);
    } else if ((operation === 'HeadObject' || operation === 'GetObject') && typeof headers.etag === 'string') {
      const etag = multipart.etagOf(bucket, key, headers.etag);
      if (etag) headers.etag = `"${etag}"`;
    }
    return undefined;
  }

  const proxy = http.createServer((req, res) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    );
    const info = classifyRequest(req.method ?? 'GET', req.url ?? '/', headers);
    const record: RecordedRequest = { ...info, status: 0, headers };
    requests.push(record);
    if (info.operation === 'PutObject' || info.operation === 'UploadPart') {
      const bytes = Number(headers['content-length'] ?? 0);
      uploads.inFlight += bytes;
      uploads.peak = Math.max(uploads.peak, uploads.inFlight);
      res.once('close', () => (uploads.inFlight -= bytes));
    }
    const fault = faults.decide(info);
    if (fault) {
      record.injected = fault;
      req.resume();
      if (fault === 'drop') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      const throttle = fault === 'throttle';
      record.status = throttle ? 503 : 500;
      const code = throttle ? 'SlowDown' : 'InternalError';
      const message = throttle
        ? 'Please reduce your request rate.'
        : 'We encountered an internal error. Please try again.';
      req.on('end', () => refuse(res, { status: record.status, code, message }, { connection: 'close' }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const wire = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body };
      const refused = checkRequest(wire);
      if (refused) {
        record.status = refused.status;
        refuse(res, refused);
        return;
      }
      const delay = faults.delayFor(info);
      if (delay === 0) return forward(req, body, res, info, record);
      // A client that gave up during the delay (e.g. a cancelled run) is not answered.
      setTimeout(() => (res.destroyed ? undefined : forward(req, body, res, info, record)), delay).unref();
    });
  });

  const serverNow = () => Date.now() + sandbox.clockSkewMs;
  const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

  function checkRequest(wire: WireRequest): Refusal | undefined {
    try {
      return checkSignature(wire, { secretFor, region, now: serverNow() }) ?? checkContentMd5(wire);
    } catch {
      return { status: 400, code: 'InvalidURI', message: "Couldn't parse the specified URI." };
    }
  }

  function refuse(res: http.ServerResponse, refusal: Refusal, headers: Record<string, string> = {}) {
    res.writeHead(refusal.status, {
      'content-type': 'application/xml',
      date: new Date(serverNow()).toUTCString(),
      ...headers,
    });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message></Error>`,
    );
  }

  function forward(
    req: http.IncomingMessage,
    requestBody: Buffer,
    res: http.ServerResponse,
    info: S3RequestInfo,
    record: RecordedRequest,
    retried = false,
  ) {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: backendAddress.port,
        method: req.method,
        path: req.url,
        // s3rver checks x-amz-date against its own (the machine's) clock; this proxy already checked it against
        // the server clock a test may have moved.
        headers: sandbox.clockSkewMs === 0 ? req.headers : { ...req.headers, 'x-amz-date': amzDate(Date.now()) },
        agent,
      },
      (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 502;
        record.status = status;
        if (sandbox.clockSkewMs !== 0) upstreamRes.headers.date = new Date(serverNow()).toUTCString();
        const rewrite = status === 200 ? s3Like(info, upstreamRes.headers, () => requestBody) : undefined;
        if (!rewrite) {
          res.writeHead(status, upstreamRes.headers);
          upstreamRes.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamRes.on('end', () => {
          const body = Buffer.from(rewrite(Buffer.concat(chunks).toString('utf8')), 'utf8');
          res.writeHead(status, { ...upstreamRes.headers, 'content-length': String(body.length) });
          res.end(body);
        });
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // s3rver closes an idle keep-alive connection after 5 s; a request sent on it just then is reset before s3rver
      // read it (Node's documented race), so it is sent once more on a new connection. Any other failure is a 502 for
      // the client, never an answer it waits for forever.
      if (upstream.reusedSocket && error.code === 'ECONNRESET' && !retried) {
        forward(req, requestBody, res, info, record, true);
      } else if (!res.headersSent) {
        record.status = 502;
        refuse(res, { status: 502, code: 'BadGateway', message: `The sandbox's S3 backend failed: ${error.message}` });
      } else {
        res.destroy(error);
      }
    });
    upstream.end(requestBody);
  }
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const sandbox: S3Sandbox = {
    url,
    region,
    directory,
    requests,
    faults,
    clockSkewMs: 0,
    env: () => ({
      AWS_ENDPOINT_URL_S3: url,
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
      AWS_REGION: region,
    }),
    client: (options = {}) =>
      new S3Client({
        region,
        endpoint: url,
        credentials: SANDBOX_CREDENTIALS,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...options,
      }),
    async createBucket(name: string) {
      const client = sandbox.client({ maxAttempts: 1 });
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } catch (error) {
        const { name: code, message } = error as Error;
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') {
          throw new Error(`Creating bucket '${name}' failed: ${code}: ${message}`, { cause: error });
        }
      } finally {
        client.destroy();
      }
    },
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    clearRequests: () => {
      requests.splice(0, requests.length);
      uploads.peak = uploads.inFlight;
    },
    peakUploadBytesInFlight: () => uploads.peak,
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      agent.destroy();
      await new Promise((resolve) => {
        backend.once('message', resolve);
        backend.postMessage('stop');
      });
      await backend.terminate();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
  return sandbox;
}
